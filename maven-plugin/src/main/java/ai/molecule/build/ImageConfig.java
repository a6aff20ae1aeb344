package ai.molecule.build;

import ai.molecule.core.Json;
import ai.molecule.image.ImageSpec;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Writes the image config: the base's config with the spec's settings applied on top, Docker's
 * way (env and labels merged by key, ports and volumes added, a new entrypoint resets the cmd).
 * Field order is fixed, so equal inputs give equal bytes and so an equal image ID.
 */
final class ImageConfig {
    private ImageConfig() {}

    /**
     * @param diffIds every layer of the image, base layers first
     * @param layerNames the names of the layers this build adds, for the history
     */
    static byte[] write(ObjectNode baseConfig, ImageSpec spec, List<String> diffIds, List<String> layerNames) {
        ObjectNode base = baseConfig.deepCopy();
        ObjectNode container = base.path("config") instanceof ObjectNode c ? c : Json.object();
        String created = spec.creationTime().toString();

        ObjectNode config = Json.object();
        config.put("created", created);
        config.put("architecture", spec.architecture());
        config.put("os", spec.os());
        ObjectNode runtime = config.putObject("config");
        putIfPresent(runtime, "User", spec.user(), container.path("User"));
        putList(runtime, "Env", mergeEnv(container.path("Env"), spec.environment()));
        List<String> entrypoint = spec.entrypoint() != null ? spec.entrypoint() : texts(container.path("Entrypoint"));
        List<String> cmd =
                spec.cmd() != null ? spec.cmd() : spec.entrypoint() != null ? null : texts(container.path("Cmd"));
        putList(runtime, "Entrypoint", entrypoint);
        putList(runtime, "Cmd", cmd);
        putIfPresent(runtime, "WorkingDir", spec.workingDirectory(), container.path("WorkingDir"));
        putSet(runtime, "ExposedPorts", container.path("ExposedPorts"), spec.exposedPorts());
        putSet(runtime, "Volumes", container.path("Volumes"), spec.volumes());
        Map<String, String> labels = new TreeMap<>();
        container
                .path("Labels")
                .fields()
                .forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
        labels.putAll(spec.effectiveLabels());
        if (!labels.isEmpty()) {
            ObjectNode labelNode = runtime.putObject("Labels");
            labels.forEach(labelNode::put);
        }
        for (String inherited : List.of("Healthcheck", "StopSignal", "Shell", "OnBuild")) {
            if (!container.path(inherited).isMissingNode()
                    && !container.path(inherited).isNull()) {
                runtime.set(inherited, container.get(inherited));
            }
        }

        ObjectNode rootfs = config.putObject("rootfs");
        rootfs.put("type", "layers");
        ArrayNode ids = rootfs.putArray("diff_ids");
        diffIds.forEach(ids::add);

        ArrayNode history = config.putArray("history");
        base.path("history").forEach(history::add);
        for (String name : layerNames) {
            ObjectNode entry = history.addObject();
            entry.put("created", created);
            entry.put("created_by", "molecule-maven-plugin: " + name);
        }
        return Json.bytes(config);
    }

    private static List<String> mergeEnv(JsonNode baseEnv, Map<String, String> environment) {
        Map<String, String> merged = new LinkedHashMap<>();
        List<String> inherited = texts(baseEnv);
        for (String line : inherited == null ? List.<String>of() : inherited) {
            int eq = line.indexOf('=');
            merged.put(eq < 0 ? line : line.substring(0, eq), eq < 0 ? "" : line.substring(eq + 1));
        }
        merged.putAll(environment);
        List<String> lines = new ArrayList<>();
        merged.forEach((name, value) -> lines.add(name + "=" + value));
        return lines.isEmpty() ? null : lines;
    }

    private static void putIfPresent(ObjectNode node, String field, String value, JsonNode inherited) {
        if (value != null) {
            node.put(field, value);
        } else if (inherited.isTextual() && !inherited.asText().isEmpty()) {
            node.put(field, inherited.asText());
        }
    }

    private static void putList(ObjectNode node, String field, List<String> values) {
        if (values != null) {
            ArrayNode array = node.putArray(field);
            values.forEach(array::add);
        }
    }

    private static void putSet(ObjectNode node, String field, JsonNode inherited, Set<String> added) {
        SortedSet<String> all = new TreeSet<>(added);
        inherited.fieldNames().forEachRemaining(all::add);
        if (!all.isEmpty()) {
            ObjectNode set = node.putObject(field);
            all.forEach(key -> set.putObject(key));
        }
    }

    private static List<String> texts(JsonNode array) {
        if (!array.isArray()) {
            return null;
        }
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }
}
