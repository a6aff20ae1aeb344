package ai.molecule.sbom;

import ai.molecule.core.KeyDigest;
import ai.molecule.core.LayerCache;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * The image's software bill of materials, in the two standard formats: CycloneDX 1.6 JSON and SPDX
 * 2.3 JSON, each written by the format's own Java library. Both are functions of the image and its
 * packages alone (identifiers derived from the image ID, the image's creation time as the
 * document's), so the same inputs give the same bytes.
 *
 * @param image the image reference
 * @param imageId {@code sha256:} of the image config
 * @param created the image's creation time
 * @param tool {@code name-version} of the tool that built the image
 * @param components every package in the image, in any order (written sorted by package URL)
 */
public record Sbom(String image, String imageId, Instant created, String tool, List<Component> components) {
    public static final String CYCLONEDX_FILE = "sbom.cdx.json";
    public static final String SPDX_FILE = "sbom.spdx.json";
    /** Bump when either document changes for the same inputs. */
    private static final String FORMAT = "molecule-sbom/1";

    public Sbom {
        components = components.stream()
                .sorted(Comparator.comparing(Component::purl))
                .distinct()
                .toList();
    }

    /** A name-based UUID of the image ID: the same image, the same document identity. */
    String serial() {
        return UUID.nameUUIDFromBytes(imageId.getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** Writes both documents into {@code directory}, each whole or not at all; returns CycloneDX's, then SPDX's. */
    public List<Path> writeTo(Path directory) throws IOException {
        Files.createDirectories(directory);
        Path cyclonedx = write(directory.resolve(CYCLONEDX_FILE), CycloneDx.json(this));
        Path spdx = write(directory.resolve(SPDX_FILE), Spdx.json(this));
        return List.of(cyclonedx, spdx);
    }

    /**
     * As {@link #writeTo(Path)}, the documents kept in {@code cache} under the hash of what they
     * say: an unchanged image takes its documents from there (a few milliseconds) instead of
     * writing them again (a second on a JVM's first build, mostly the SPDX library's start).
     */
    public List<Path> writeTo(Path directory, LayerCache cache) throws IOException {
        Files.createDirectories(directory);
        String key = key();
        Path cyclonedx = write(directory.resolve(CYCLONEDX_FILE), cached(cache, "sbom-cdx-" + key, CycloneDx::json));
        Path spdx = write(directory.resolve(SPDX_FILE), cached(cache, "sbom-spdx-" + key, Spdx::json));
        return List.of(cyclonedx, spdx);
    }

    /** Everything the documents say, hashed. */
    String key() {
        KeyDigest key = new KeyDigest(FORMAT);
        key.line("image " + image);
        key.line("id " + imageId);
        key.line("created " + created);
        key.line("tool " + tool);
        components.forEach(component -> key.line(component.toString()));
        return key.hex();
    }

    private byte[] cached(LayerCache cache, String key, Function<Sbom, byte[]> document) throws IOException {
        Optional<LayerCache.Blob> hit = cache.lookup(key);
        if (hit.isPresent()) {
            return Files.readAllBytes(hit.get().path());
        }
        byte[] bytes = document.apply(this);
        cache.store(key, out -> out.write(bytes));
        return bytes;
    }

    /** Loads and starts both formats' libraries (a second or so per JVM), so that a build can do it early. */
    public static void warmUp() {
        Sbom tiny = new Sbom(
                "warm-up",
                "sha256:" + "0".repeat(64),
                Instant.EPOCH,
                "warm-up",
                List.of(Component.npm("warm-up", "1.0.0", null, "MIT", null)));
        CycloneDx.json(tiny);
        Spdx.json(tiny);
    }

    /** Removes the documents of an earlier build, so a failed build leaves none that describe another image. */
    public static void discard(Path directory) throws IOException {
        Files.deleteIfExists(directory.resolve(CYCLONEDX_FILE));
        Files.deleteIfExists(directory.resolve(SPDX_FILE));
    }

    private static Path write(Path file, byte[] content) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".part");
        Files.write(tmp, content);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return file;
    }
}
