package ai.molecule.build;

import ai.molecule.core.CacheOutcome;
import ai.molecule.core.Json;
import ai.molecule.sbom.Component;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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

    public void writeTo(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".part");
        Files.writeString(tmp, Json.pretty(toJson()));
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Fields in declaration order; a component leaves out what its type does not know. */
    ObjectNode toJson() {
        ObjectNode report = Json.object();
        report.put("image", image);
        report.put("target", target);
        report.put("imageId", imageId);
        report.put("manifestDigest", manifestDigest);
        report.put("output", output);
        report.put("base", base);
        report.put("created", created);
        ObjectNode args = report.putObject("buildArgs");
        buildArgs.forEach(args::put);
        ArrayNode layerArray = report.putArray("layers");
        for (LayerReport layer : layers) {
            layerArray
                    .addObject()
                    .put("name", layer.name())
                    .put("source", layer.source())
                    .put("key", layer.key())
                    .put("diffId", layer.diffId())
                    .put("size", layer.size())
                    .put("cache", layer.cache() == null ? null : layer.cache().label())
                    .put("millis", layer.millis());
        }
        ArrayNode components = report.putArray("sbom");
        for (Component component : sbom) {
            ObjectNode entry = components.addObject();
            putIfKnown(entry, "type", component.type());
            putIfKnown(entry, "name", component.name());
            putIfKnown(entry, "version", component.version());
            putIfKnown(entry, "architecture", component.architecture());
            putIfKnown(entry, "distro", component.distro());
            putIfKnown(entry, "sha256", component.sha256());
            putIfKnown(entry, "integrity", component.integrity());
            putIfKnown(entry, "license", component.license());
            putIfKnown(entry, "download", component.download());
        }
        report.put("totalMillis", totalMillis);
        return report;
    }

    private static void putIfKnown(ObjectNode node, String field, String value) {
        if (value != null) {
            node.put(field, value);
        }
    }
}
