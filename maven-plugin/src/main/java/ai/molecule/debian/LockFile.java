package ai.molecule.debian;

import ai.molecule.core.MoleculeException;
import ai.molecule.image.DebianSpec;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

/**
 * {@code molecule.lock}: the exact Debian closure of an image, one package per line so that a
 * refresh reads as a diff. It also records the inputs it was resolved from, so a build can tell
 * when the POM has moved on and the lock must be refreshed with {@code mvn molecule:lock}.
 *
 * @param inputs what the closure was resolved from
 * @param packages the closure, sorted by name
 */
public record LockFile(Inputs inputs, List<LockedPackage> packages) {
    public static final String FILE_NAME = "molecule.lock";
    private static final int FORMAT = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    public LockFile {
        packages = packages.stream()
                .sorted(Comparator.comparing(LockedPackage::name).thenComparing(LockedPackage::architecture))
                .toList();
    }

    /**
     * The POM inputs a closure depends on; requested and excluded names are kept sorted so that
     * reordering {@code <packages>} does not invalidate the lock.
     *
     * @param installed the packages the base image already holds (name=version), sorted
     */
    public record Inputs(
            String suite,
            String architecture,
            List<String> components,
            URI archive,
            URI securityArchive,
            List<String> packages,
            List<String> excludes,
            boolean includeRequired,
            List<String> installed) {

        public Inputs {
            components = List.copyOf(components);
            packages = List.copyOf(new TreeSet<>(packages));
            excludes = List.copyOf(new TreeSet<>(excludes));
            installed = List.copyOf(new TreeSet<>(installed));
        }

        public static Inputs of(DebianSpec spec, List<String> installed) {
            return new Inputs(
                    spec.suite(),
                    spec.architecture(),
                    spec.components(),
                    spec.archive(),
                    spec.securityArchive(),
                    spec.packages(),
                    spec.excludes(),
                    spec.includeRequired(),
                    installed);
        }
    }

    /** Fails, telling the user to refresh the lock, when it was resolved from other inputs. */
    public void requireInputs(Inputs current, Path file) throws MoleculeException {
        if (!inputs.equals(current)) {
            throw new MoleculeException(file + " was resolved for other Debian inputs than the POM now declares ("
                    + difference(inputs, current) + "). Run `mvn molecule:lock` to refresh it, review the diff"
                    + " and commit it");
        }
    }

    public static LockFile read(Path file) throws MoleculeException {
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new MoleculeException(
                    "Cannot read " + file + ": " + e.getMessage() + ". Run `mvn molecule:lock` to write it again");
        }
        if (root.path("format").asInt() != FORMAT) {
            throw new MoleculeException(file + " has lock format " + root.path("format") + ", this plugin reads "
                    + FORMAT + ". Run `mvn molecule:lock` to write it again");
        }
        JsonNode in = root.path("inputs");
        Inputs inputs = new Inputs(
                in.path("suite").asText(),
                in.path("architecture").asText(),
                texts(in.path("components")),
                URI.create(in.path("archive").asText()),
                URI.create(in.path("securityArchive").asText()),
                texts(in.path("packages")),
                texts(in.path("excludes")),
                in.path("includeRequired").asBoolean(),
                texts(in.path("installed")));
        List<LockedPackage> packages = new ArrayList<>();
        for (JsonNode p : root.path("packages")) {
            String sha256 = p.path("sha256").asText();
            if (!sha256.matches("[0-9a-f]{64}")
                    || p.path("name").asText().isEmpty()
                    || p.path("size").asLong() <= 0) {
                throw new MoleculeException(
                        file + ": the entry " + p + " is incomplete (it needs name, version,"
                                + " architecture, archive, path, size and a sha256). Run `mvn molecule:lock` to write it again");
            }
            packages.add(new LockedPackage(
                    p.path("name").asText(),
                    p.path("version").asText(),
                    p.path("architecture").asText(),
                    URI.create(p.path("archive").asText()),
                    p.path("path").asText(),
                    p.path("size").asLong(),
                    sha256));
        }
        return new LockFile(inputs, packages);
    }

    /** Writes the lock atomically: one JSON object per package per line. */
    public void write(Path file) throws IOException {
        StringBuilder text =
                new StringBuilder("{\n  \"format\": ").append(FORMAT).append(",\n");
        ObjectNode in = JSON.createObjectNode();
        in.put("suite", inputs.suite());
        in.put("architecture", inputs.architecture());
        array(in, "components", inputs.components());
        in.put("archive", inputs.archive().toString());
        in.put("securityArchive", inputs.securityArchive().toString());
        array(in, "packages", inputs.packages());
        array(in, "excludes", inputs.excludes());
        in.put("includeRequired", inputs.includeRequired());
        array(in, "installed", inputs.installed());
        text.append("  \"inputs\": ")
                .append(JSON.writerWithDefaultPrettyPrinter()
                        .writeValueAsString(in)
                        .replace("\n", "\n  "))
                .append(",\n  \"packages\": [\n");
        for (int i = 0; i < packages.size(); i++) {
            LockedPackage p = packages.get(i);
            ObjectNode line = JSON.createObjectNode();
            line.put("name", p.name());
            line.put("version", p.version());
            line.put("architecture", p.architecture());
            line.put("archive", p.archive().toString());
            line.put("path", p.path());
            line.put("size", p.size());
            line.put("sha256", p.sha256());
            text.append("    ").append(JSON.writeValueAsString(line)).append(i + 1 < packages.size() ? ",\n" : "\n");
        }
        text.append("  ]\n}\n");
        Path tmp = file.resolveSibling(file.getFileName() + ".part");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static String difference(Inputs locked, Inputs current) {
        List<String> changed = new ArrayList<>();
        if (!locked.packages().equals(current.packages())) {
            TreeSet<String> added = new TreeSet<>(current.packages());
            added.removeAll(locked.packages());
            TreeSet<String> removed = new TreeSet<>(locked.packages());
            removed.removeAll(current.packages());
            changed.add("<packages> added " + added + ", removed " + removed);
        }
        if (!locked.excludes().equals(current.excludes())) {
            changed.add("<excludes> " + locked.excludes() + " → " + current.excludes());
        }
        if (!locked.suite().equals(current.suite())) {
            changed.add("<suite> " + locked.suite() + " → " + current.suite());
        }
        if (!locked.architecture().equals(current.architecture())) {
            changed.add("<architecture> " + locked.architecture() + " → " + current.architecture());
        }
        if (!locked.components().equals(current.components())) {
            changed.add("<components> " + locked.components() + " → " + current.components());
        }
        if (!locked.archive().equals(current.archive())
                || !locked.securityArchive().equals(current.securityArchive())) {
            changed.add("archive URLs");
        }
        if (locked.includeRequired() != current.includeRequired()) {
            changed.add("<includeRequired> " + locked.includeRequired() + " → " + current.includeRequired());
        }
        if (!locked.installed().equals(current.installed())) {
            changed.add("the base image's installed packages");
        }
        return String.join("; ", changed);
    }

    private static void array(ObjectNode node, String field, List<String> values) {
        ArrayNode array = node.putArray(field);
        values.forEach(array::add);
    }

    private static List<String> texts(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }
}
