package ai.molecule.pip;

import ai.molecule.core.KeyDigest;
import ai.molecule.core.UrlLogins;
import ai.molecule.image.PipLayer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
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
        KeyDigest key = new KeyDigest(FORMAT);
        key.line("pip " + resolved.pipVersion());
        key.line("mtime " + mtime.getEpochSecond());
        requirementLines.forEach(requirement -> key.line("requirement " + requirement));
        key.line("runtime " + layer.runtimePackage() + " " + layer.runtimeVersion());
        key.line("no-index " + layer.noIndex());
        key.line("index-url " + UrlLogins.redact(layer.indexUrl()));
        layer.extraIndexUrls().forEach(url -> key.line("extra-index-url " + UrlLogins.redact(url)));
        for (Path directory : layer.findLinks()) {
            key.line("find-links " + directory);
            for (String file : listing(directory)) {
                key.line("find-links-file " + file);
            }
        }
        key.line("python " + layer.pythonVersion());
        layer.platforms().forEach(platform -> key.line("platform " + platform));
        key.line("site-packages " + layer.sitePackages());
        key.line("bin " + layer.binDir());
        key.line("interpreter " + layer.interpreter());
        for (PipComponent component : resolved.components()) {
            key.line("resolved " + component.name() + "==" + component.version() + " sha256=" + component.sha256()
                    + (component.sha256().isEmpty() ? " url=" + component.url() : ""));
        }
        return key.hex();
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
}
