package ai.molecule.debian;

import ai.molecule.core.Json;
import ai.molecule.core.KeyDigest;
import ai.molecule.core.LockJson;
import ai.molecule.core.MoleculeException;
import ai.molecule.image.DebianSpec;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The Debian section of {@code molecule.lock}: the exact closure of an image, one package per line
 * so that a re-lock reads as a diff, and the inputs it was resolved from, so a build can tell when
 * the POM has moved on and the lock must be refreshed with {@code mvn molecule:lock}.
 *
 * @param inputs what the closure was resolved from
 * @param packages the closure, sorted by name
 */
public record DebianLock(Inputs inputs, List<LockedPackage> packages) {

    public DebianLock {
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
            List<String> installed,
            List<String> addedByWorkspace) {

        public Inputs {
            addedByWorkspace = List.copyOf(new TreeSet<>(addedByWorkspace));
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
                    installed,
                    spec.addedByWorkspace());
        }
    }

    /** Fails, telling the user to refresh the lock, when it was resolved from other inputs. */
    public void requireInputs(Inputs current, Path file) throws MoleculeException {
        if (!inputs.equals(current)) {
            throw new MoleculeException(file + " was locked for other Debian inputs than the POM now declares ("
                    + difference(inputs, current) + "). Run `mvn molecule:lock` to re-lock them, review the diff"
                    + " and commit it");
        }
    }

    /** name → locked version, what a re-lock keeps where it can. */
    public Map<String, String> versions() {
        Map<String, String> versions = new TreeMap<>();
        packages.forEach(p -> versions.put(p.name(), p.version()));
        return versions;
    }

    public ObjectNode inputsJson() {
        ObjectNode in = Json.object();
        in.put("suite", inputs.suite());
        in.put("architecture", inputs.architecture());
        LockJson.array(in, "components", inputs.components());
        in.put("archive", inputs.archive().toString());
        in.put("securityArchive", inputs.securityArchive().toString());
        LockJson.array(in, "packages", inputs.packages());
        LockJson.array(in, "excludes", inputs.excludes());
        in.put("includeRequired", inputs.includeRequired());
        LockJson.array(in, "installed", inputs.installed());
        if (!inputs.addedByWorkspace().isEmpty()) {
            // Which of the packages the workspace assets brought, so a reader of the lock sees why they are there.
            LockJson.array(in, "addedByWorkspace", inputs.addedByWorkspace());
        }
        return in;
    }

    public List<ObjectNode> entriesJson() {
        return packages.stream()
                .map(p -> {
                    ObjectNode line = Json.object();
                    line.put("name", p.name());
                    line.put("version", p.version());
                    line.put("architecture", p.architecture());
                    line.put("archive", p.archive().toString());
                    line.put("path", p.path());
                    line.put("size", p.size());
                    line.put("sha256", p.sha256());
                    return line;
                })
                .toList();
    }

    /** Reads the section: {@code inputs} and {@code packages}, as format 1 had them at the top level too. */
    public static DebianLock fromJson(JsonNode section, Path file) throws MoleculeException {
        JsonNode in = section.path("inputs");
        Inputs inputs = new Inputs(
                in.path("suite").asText(),
                in.path("architecture").asText(),
                LockJson.texts(in.path("components")),
                URI.create(in.path("archive").asText()),
                URI.create(in.path("securityArchive").asText()),
                LockJson.texts(in.path("packages")),
                LockJson.texts(in.path("excludes")),
                in.path("includeRequired").asBoolean(),
                LockJson.texts(in.path("installed")),
                LockJson.texts(in.path("addedByWorkspace")));
        List<LockedPackage> packages = new ArrayList<>();
        Map<String, URI> archives = new HashMap<>();
        for (JsonNode p : section.path("packages")) {
            LockJson.requireFields(p, file, "Debian", "name", "version", "architecture", "archive", "path", "sha256");
            if (!KeyDigest.isSha256Hex(p.path("sha256").asText())
                    || p.path("size").asLong() <= 0) {
                throw new MoleculeException(file + ": the Debian entry " + p + " needs a size and a sha256 of 64 hex"
                        + " digits. Run `mvn molecule:lock` to write the lock again");
            }
            packages.add(new LockedPackage(
                    p.path("name").asText(),
                    p.path("version").asText(),
                    p.path("architecture").asText(),
                    archives.computeIfAbsent(p.path("archive").asText(), URI::create),
                    p.path("path").asText(),
                    p.path("size").asLong(),
                    p.path("sha256").asText()));
        }
        return new DebianLock(inputs, packages);
    }

    private static String difference(Inputs locked, Inputs current) {
        List<String> changed = new ArrayList<>();
        if (!locked.packages().equals(current.packages())) {
            changed.add("<packages> " + LockJson.addedRemoved(locked.packages(), current.packages()));
        }
        if (!locked.addedByWorkspace().equals(current.addedByWorkspace())) {
            changed.add("packages added by <workspace> "
                    + LockJson.addedRemoved(locked.addedByWorkspace(), current.addedByWorkspace()));
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
}
