package ai.molecule.npm;

import ai.molecule.core.Json;
import ai.molecule.core.LockJson;
import ai.molecule.core.MoleculeException;
import ai.molecule.image.NpmLayer;
import ai.molecule.image.NpmPlatform;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The npm section of {@code molecule.lock}: npm's own lock of the layer — every package at the path
 * it is placed, with version, resolved tarball and integrity, one per line — and the inputs it was
 * resolved from. A build hands exactly this tree to {@code npm ci}, which installs these tarballs
 * and refuses any whose integrity differs.
 *
 * @param nodes npm's {@code package-lock.json} entries by path; {@code ""} is the root, whose
 *     {@code dependencies} are the layer's packages at their locked versions
 */
public record NpmLock(Inputs inputs, List<Node> nodes) {

    public NpmLock {
        nodes = nodes.stream().sorted(Comparator.comparing(Node::path)).toList();
    }

    /**
     * @param specs the {@code <packages>} as written, sorted
     * @param registry the registry they were resolved from
     * @param os the target platform npm picked optional native packages for, with {@code cpu} and {@code libc}
     */
    public record Inputs(List<String> specs, String registry, String os, String cpu, String libc) {
        public Inputs {
            specs = List.copyOf(new TreeSet<>(specs));
        }

        public static Inputs of(NpmLayer layer) {
            return new Inputs(
                    layer.specs(),
                    layer.registry(),
                    layer.platform().os(),
                    layer.platform().cpu(),
                    layer.platform().libc());
        }

        String platform() {
            return os + "/" + cpu + (libc.isEmpty() ? "" : "/" + libc);
        }
    }

    /** One {@code package-lock.json} entry: its path below the layer's {@code lib} and npm's fields for it. */
    public record Node(String path, ObjectNode fields) {
        /** The registry name: an alias's real name, else the last name in the path. */
        public String name() {
            if (path.isEmpty()) {
                return "";
            }
            return fields.path("name")
                    .asText(path.substring(path.lastIndexOf("node_modules/") + "node_modules/".length()));
        }

        public String version() {
            return fields.path("version").asText("");
        }

        public String integrity() {
            return fields.path("integrity").asText("");
        }

        public String resolved() {
            return fields.path("resolved").asText("");
        }

        /** The licence the package declares ({@code package.json}'s {@code license}), or empty. */
        public String license() {
            JsonNode license = fields.path("license");
            return license.isTextual() ? license.asText() : "";
        }

        /** The names this package depends on, optional ones included. */
        List<String> dependencyNames() {
            List<String> names = new ArrayList<>();
            for (String field : List.of("dependencies", "optionalDependencies", "peerDependencies")) {
                fields.path(field).fieldNames().forEachRemaining(names::add);
            }
            return names;
        }

        boolean installsOn(NpmPlatform platform) {
            return matches(fields.path("os"), platform.os())
                    && matches(fields.path("cpu"), platform.cpu())
                    && (platform.libc().isEmpty() || matches(fields.path("libc"), platform.libc()));
        }
    }

    /** The root's dependencies: package name → locked version (or {@code npm:} alias). */
    public Map<String, String> rootDependencies() {
        Map<String, String> dependencies = new TreeMap<>();
        nodes.stream()
                .filter(node -> node.path().isEmpty())
                .findFirst()
                .ifPresent(root -> root.fields()
                        .path("dependencies")
                        .fields()
                        .forEachRemaining(
                                e -> dependencies.put(e.getKey(), e.getValue().asText())));
        return dependencies;
    }

    /** What an install on {@code platform} places, for the layer's key, its check and the SBOM. */
    public List<NpmPackage> installedOn(NpmPlatform platform) {
        return nodes.stream()
                .filter(node -> !node.path().isEmpty() && node.installsOn(platform))
                .map(node -> new NpmPackage(
                        node.path(), node.name(), node.version(), node.integrity(), node.resolved(), node.license()))
                .toList();
    }

    /** Fails, naming the input that drifted and the fix, when the POM no longer declares what was locked. */
    public void requireInputs(Inputs current, Path file) throws MoleculeException {
        if (inputs.equals(current)) {
            return;
        }
        List<String> changed = new ArrayList<>();
        if (!inputs.specs().equals(current.specs())) {
            changed.add("<npm><packages> " + LockJson.addedRemoved(inputs.specs(), current.specs()));
        }
        if (!inputs.registry().equals(current.registry())) {
            changed.add("<npm><registry> " + inputs.registry() + " → " + current.registry());
        }
        if (!inputs.platform().equals(current.platform())) {
            changed.add("the npm platform (<architecture>) " + inputs.platform() + " → " + current.platform());
        }
        throw new MoleculeException(file + " was locked for other npm inputs than the POM now declares ("
                + String.join("; ", changed) + "). Run `mvn molecule:lock` to re-lock them, review the diff and"
                + " commit it");
    }

    /** npm's {@code package-lock.json} (lockfile version 3) of these nodes. */
    ObjectNode packageLock() {
        ObjectNode lock = Json.object();
        lock.put("name", "molecule-npm-layer");
        lock.put("lockfileVersion", 3);
        lock.put("requires", true);
        ObjectNode packages = lock.putObject("packages");
        nodes.forEach(node -> packages.set(node.path(), node.fields().deepCopy()));
        return lock;
    }

    /** The {@code package.json} the root node stands for. */
    ObjectNode packageJson() {
        ObjectNode json = Json.object();
        json.put("name", "molecule-npm-layer");
        json.put("private", true);
        ObjectNode dependencies = json.putObject("dependencies");
        rootDependencies().forEach(dependencies::put);
        return json;
    }

    /** The nodes of npm's lock, as {@code npm install --package-lock-only} wrote it. */
    static List<Node> nodesOf(JsonNode packageLock) {
        List<Node> nodes = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it =
                        packageLock.path("packages").fields();
                it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            ObjectNode fields = (ObjectNode) entry.getValue().deepCopy();
            if (entry.getKey().isEmpty()) {
                fields.remove("name");
                fields.remove("version");
            }
            nodes.add(new Node(entry.getKey(), fields));
        }
        return nodes;
    }

    public ObjectNode inputsJson() {
        ObjectNode in = Json.object();
        LockJson.array(in, "specs", inputs.specs());
        in.put("registry", inputs.registry());
        in.put("os", inputs.os());
        in.put("cpu", inputs.cpu());
        in.put("libc", inputs.libc());
        return in;
    }

    public List<ObjectNode> entriesJson() {
        return nodes.stream()
                .map(node -> {
                    ObjectNode line = Json.object();
                    line.put("path", node.path());
                    line.setAll(node.fields());
                    return line;
                })
                .toList();
    }

    public static NpmLock fromJson(JsonNode section, Path file) throws MoleculeException {
        JsonNode in = section.path("inputs");
        Inputs inputs = new Inputs(
                LockJson.texts(in.path("specs")),
                in.path("registry").asText(),
                in.path("os").asText(),
                in.path("cpu").asText(),
                in.path("libc").asText(""));
        List<Node> nodes = new ArrayList<>();
        for (JsonNode entry : section.path("packages")) {
            if (!entry.has("path")) {
                LockJson.requireFields(entry, file, "npm", "path");
            }
            ObjectNode fields = (ObjectNode) entry.deepCopy();
            String path = fields.remove("path").asText();
            boolean linkOrRoot = path.isEmpty() || fields.path("link").asBoolean(false);
            if (!linkOrRoot) {
                LockJson.requireFields(entry, file, "npm", "path", "version", "resolved", "integrity");
            }
            nodes.add(new Node(path, fields));
        }
        return new NpmLock(inputs, nodes);
    }

    /** npm's os/cpu/libc fields: a list of allowed values, or of {@code !value} exclusions; absent means any. */
    private static boolean matches(JsonNode allowed, String value) {
        if (!allowed.isArray() || allowed.isEmpty()) {
            return true;
        }
        boolean anyPositive = false;
        for (JsonNode item : allowed) {
            String text = item.asText();
            if (text.equals("!" + value)) {
                return false;
            }
            if (!text.startsWith("!")) {
                anyPositive = true;
                if (text.equals(value)) {
                    return true;
                }
            }
        }
        return !anyPositive;
    }
}
