package ai.molecule.build;

import ai.molecule.core.CacheOutcome;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;

/**
 * What a build produced; written as {@code build-report.json}.
 *
 * @param imageId {@code sha256:} of the image config: the ID {@code docker images} shows (for the
 *     registry target, of the config as pushed, which is what a pull shows)
 * @param manifestDigest the pushed manifest's digest (registry target only)
 * @param output the tar written (tar target only)
 * @param sbom every package that went into the image
 */
public record BuildResult(
        String image,
        String target,
        String imageId,
        String manifestDigest,
        String output,
        String base,
        String created,
        Map<String, String> buildArgs,
        List<LayerReport> layers,
        List<Component> sbom,
        long totalMillis) {

    /**
     * One layer of the image.
     *
     * @param source {@code base} for layers taken from the base image, {@code build} for ours
     * @param key the content key of a {@code build} layer; {@code null} for base layers
     * @param cache a base layer is a hit or fetched, a built one a hit or a miss
     */
    public record LayerReport(
            String name, String source, String key, String diffId, long size, CacheOutcome cache, long millis) {}

    /**
     * A package in the image, for scanners and audits; fields a type does not know are left out.
     *
     * @param type {@code deb}, {@code pypi} or {@code npm}
     * @param architecture Debian's, for {@code deb}
     * @param sha256 of the package file that was installed ({@code deb}, {@code pypi})
     * @param integrity the tarball's Subresource Integrity string ({@code npm})
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Component(
            String type, String name, String version, String architecture, String sha256, String integrity) {}

    public void writeTo(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".part");
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(tmp.toFile(), this);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }
}
