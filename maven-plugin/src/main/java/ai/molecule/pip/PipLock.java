package ai.molecule.pip;

import ai.molecule.core.Json;
import ai.molecule.core.KeyDigest;
import ai.molecule.core.LockJson;
import ai.molecule.core.MoleculeException;
import ai.molecule.core.UrlLogins;
import ai.molecule.image.PipLayer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The pip section of {@code molecule.lock}: every distribution of the layer with its version, wheel
 * file, where it came from and its SHA-256, and the inputs they were resolved from. A build installs
 * exactly these files, hashes required, without running pip's resolver.
 *
 * @param pins sorted by name
 */
public record PipLock(Inputs inputs, List<Pin> pins) {

    public PipLock {
        pins = pins.stream().sorted(Comparator.comparing(Pin::name)).toList();
    }

    /**
     * What the pins were resolved from. Paths (find-links directories, {@code -c} files) are relative
     * to the project, index URLs carry no credentials, so the lock reads the same on every machine.
     *
     * @param requirements the requirement lines without the runtime's, which {@code runtimeVersion} pins
     * @param python the image's Python, {@code major.minor}
     */
    public record Inputs(
            List<String> requirements,
            String runtimePackage,
            String runtimeVersion,
            String index,
            List<String> extraIndexes,
            List<String> findLinks,
            boolean noIndex,
            String python,
            List<String> platforms) {

        public Inputs {
            requirements = List.copyOf(requirements);
            extraIndexes = List.copyOf(extraIndexes);
            findLinks = List.copyOf(findLinks);
            platforms = List.copyOf(platforms);
        }

        /** @param project the directory paths are written relative to (the lock file's) */
        public static Inputs of(PipLayer layer, Path project) {
            List<String> requirements = new ArrayList<>();
            for (String line : layer.requirementLines()) {
                if (line.equals(layer.runtimeRequirement())) {
                    continue;
                }
                requirements.add(line.startsWith("-c ") ? "-c " + relative(project, Path.of(line.substring(3))) : line);
            }
            return new Inputs(
                    requirements,
                    layer.runtimePackage(),
                    layer.runtimeVersion(),
                    layer.noIndex() ? null : UrlLogins.redact(layer.indexUrl()),
                    layer.extraIndexUrls().stream().map(UrlLogins::redact).toList(),
                    layer.findLinks().stream().map(d -> relative(project, d)).toList(),
                    layer.noIndex(),
                    layer.pythonVersion(),
                    layer.platforms());
        }

        /** {@code path} relative to {@code project} when it lies below it, else absolute. */
        static String relative(Path project, Path path) {
            Path absolute = path.toAbsolutePath().normalize();
            Path base = project.toAbsolutePath().normalize();
            return absolute.startsWith(base) ? base.relativize(absolute).toString() : absolute.toString();
        }
    }

    /**
     * One locked distribution.
     *
     * @param file the wheel's file name
     * @param url where pip found it, credentials removed; relative to the project for a find-links file
     * @param requires the names of the locked distributions it depends on, for updating it with what it pulls in
     */
    public record Pin(String name, String version, String file, String url, String sha256, List<String> requires) {
        public Pin {
            requires = List.copyOf(requires);
        }

        /** {@code name==version --hash=sha256:…}, as pip installs it in hash-checking mode. */
        String requirementLine() {
            return name + "==" + version + " --hash=sha256:" + sha256;
        }
    }

    /** Fails, naming the input that drifted and the fix, when the POM no longer declares what was locked. */
    public void requireInputs(Inputs current, Path file) throws MoleculeException {
        if (inputs.equals(current)) {
            return;
        }
        List<String> changed = new ArrayList<>();
        if (!Objects.equals(inputs.runtimeVersion(), current.runtimeVersion())) {
            changed.add("<pip><runtimeVersion> (runtime.version) " + inputs.runtimeVersion() + " → "
                    + current.runtimeVersion());
        }
        if (!inputs.runtimePackage().equals(current.runtimePackage())) {
            changed.add("<pip><runtimePackage> " + inputs.runtimePackage() + " → " + current.runtimePackage());
        }
        if (!inputs.requirements().equals(current.requirements())) {
            changed.add("requirements (<requirementsFile>, <requirements>) "
                    + LockJson.addedRemoved(inputs.requirements(), current.requirements()));
        }
        if (!Objects.equals(inputs.index(), current.index())
                || !inputs.extraIndexes().equals(current.extraIndexes())
                || inputs.noIndex() != current.noIndex()) {
            changed.add("<indexUrl>/<extraIndexUrls>/<noIndex> " + sources(inputs) + " → " + sources(current));
        }
        if (!inputs.findLinks().equals(current.findLinks())) {
            changed.add("<findLinks> " + inputs.findLinks() + " → " + current.findLinks());
        }
        if (!Objects.equals(inputs.python(), current.python())) {
            changed.add("the image's Python " + inputs.python() + " → " + current.python());
        }
        if (!inputs.platforms().equals(current.platforms())) {
            changed.add("the platform tags (<architecture>) " + inputs.platforms() + " → " + current.platforms());
        }
        throw new MoleculeException(file + " was locked for other pip inputs than the POM now declares ("
                + String.join("; ", changed) + "). Run `mvn molecule:lock` to re-lock them, review the diff and"
                + " commit it");
    }

    private static String sources(Inputs inputs) {
        return inputs.noIndex() ? "no index" : inputs.index() + " " + inputs.extraIndexes();
    }

    /** name → locked version. */
    public Map<String, String> versions() {
        Map<String, String> versions = new TreeMap<>();
        pins.forEach(p -> versions.put(p.name(), p.version()));
        return versions;
    }

    public ObjectNode inputsJson() {
        ObjectNode in = Json.object();
        LockJson.array(in, "requirements", inputs.requirements());
        in.put("runtimePackage", inputs.runtimePackage());
        in.put("runtimeVersion", inputs.runtimeVersion());
        in.put("index", inputs.index());
        LockJson.array(in, "extraIndexes", inputs.extraIndexes());
        LockJson.array(in, "findLinks", inputs.findLinks());
        in.put("noIndex", inputs.noIndex());
        in.put("python", inputs.python());
        LockJson.array(in, "platforms", inputs.platforms());
        return in;
    }

    public List<ObjectNode> entriesJson() {
        return pins.stream()
                .map(p -> {
                    ObjectNode line = Json.object();
                    line.put("name", p.name());
                    line.put("version", p.version());
                    line.put("file", p.file());
                    line.put("url", p.url());
                    line.put("sha256", p.sha256());
                    LockJson.array(line, "requires", p.requires());
                    return line;
                })
                .toList();
    }

    public static PipLock fromJson(JsonNode section, Path file) throws MoleculeException {
        JsonNode in = section.path("inputs");
        Inputs inputs = new Inputs(
                LockJson.texts(in.path("requirements")),
                in.path("runtimePackage").asText(PipLayer.DEFAULT_RUNTIME_PACKAGE),
                LockJson.textOrNull(in, "runtimeVersion"),
                LockJson.textOrNull(in, "index"),
                LockJson.texts(in.path("extraIndexes")),
                LockJson.texts(in.path("findLinks")),
                in.path("noIndex").asBoolean(),
                LockJson.textOrNull(in, "python"),
                LockJson.texts(in.path("platforms")));
        List<Pin> pins = new ArrayList<>();
        for (JsonNode p : section.path("packages")) {
            LockJson.requireFields(p, file, "pip", "name", "version", "file", "url", "sha256");
            if (!KeyDigest.isSha256Hex(p.path("sha256").asText())) {
                throw new MoleculeException(file + ": the pip entry " + p + " needs a sha256 of 64 hex digits. Run"
                        + " `mvn molecule:lock` to write the lock again");
            }
            pins.add(new Pin(
                    p.path("name").asText(),
                    p.path("version").asText(),
                    p.path("file").asText(),
                    p.path("url").asText(),
                    p.path("sha256").asText(),
                    LockJson.texts(p.path("requires"))));
        }
        return new PipLock(inputs, pins);
    }
}
