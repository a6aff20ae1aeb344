package ai.molecule.layers;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * The cache key of a pip layer: SHA-256 over a canonical text of every input — requirement lines,
 * runtime version, indexes, the listing of each find-links directory, target Python and platforms,
 * install paths, interpreter, mtime, pip's version — and of what pip resolved from them (name,
 * version and SHA-256 of each distribution). A new upload behind an unchanged requirement changes the
 * resolution, so it changes the key too.
 */
final class PipLayerKey {
    /** Bump when the layer's layout changes for the same inputs. */
    private static final String FORMAT = "molecule-pip-layer/1";

    private PipLayerKey() {}

    static String of(PipLayer layer, List<String> requirementLines, PipReport resolved, Instant mtime)
            throws IOException {
        MessageDigest key = LayerKey.sha256();
        line(key, FORMAT);
        line(key, "pip " + resolved.pipVersion());
        line(key, "mtime " + mtime.getEpochSecond());
        requirementLines.forEach(requirement -> line(key, "requirement " + requirement));
        line(key, "runtime " + layer.runtimePackage() + " " + layer.runtimeVersion());
        line(key, "no-index " + layer.noIndex());
        line(key, "index-url " + PipCommand.redact(layer.indexUrl()));
        layer.extraIndexUrls().forEach(url -> line(key, "extra-index-url " + PipCommand.redact(url)));
        for (Path directory : layer.findLinks()) {
            line(key, "find-links " + directory);
            for (String file : listing(directory)) {
                line(key, "find-links-file " + file);
            }
        }
        line(key, "python " + layer.pythonVersion());
        layer.platforms().forEach(platform -> line(key, "platform " + platform));
        line(key, "site-packages " + layer.sitePackages());
        line(key, "bin " + layer.binDir());
        line(key, "interpreter " + layer.interpreter());
        for (PipComponent component : resolved.components()) {
            line(
                    key,
                    "resolved " + component.name() + "==" + component.version() + " sha256=" + component.sha256()
                            + (component.sha256().isEmpty() ? " url=" + component.url() : ""));
        }
        return HexFormat.of().formatHex(key.digest());
    }

    /** Names and sizes of the files a find-links directory offers; absent directories list nothing. */
    private static List<String> listing(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(Files::isRegularFile)
                    .sorted()
                    .map(file -> file.getFileName() + " " + file.toFile().length())
                    .toList();
        }
    }

    private static void line(MessageDigest digest, String text) {
        // Length-prefixed so that no value can forge the start of another line.
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        digest.update((bytes.length + ":").getBytes(StandardCharsets.US_ASCII));
        digest.update(bytes);
    }
}
