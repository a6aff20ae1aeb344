package ai.molecule.pip;

import ai.molecule.core.BuildLog;
import ai.molecule.core.DirectoryScan;
import ai.molecule.core.LayerCache;
import ai.molecule.core.LayerEntry;
import ai.molecule.core.LayerSpec;
import ai.molecule.core.LayerTarWriter;
import ai.molecule.core.MoleculeException;
import ai.molecule.core.Trees;
import ai.molecule.core.UrlLogins;
import ai.molecule.image.PipLayer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Locks and builds pip layers without a container. {@link #lock} runs the host's pip resolver
 * ({@code --dry-run --report}) for the image's interpreter and platform and keeps what it chose as
 * {@link PipLock} pins; {@link #install} installs exactly those wheels, hashes required and no
 * dependency resolved, and only on a cache miss. Nothing is stored when pip fails.
 */
public final class PipInstaller {
    private static final Pattern NOT_FOUND = Pattern.compile("No matching distribution found for (\\S+)");
    private static final Pattern VERSIONS = Pattern.compile("\\(from versions: ([^)]*)\\)");
    private static final Pattern HASH_MISMATCH = Pattern.compile(
            "(?m)^\\s+(\\S+)==(\\S+) from (\\S+).*:\\s*$\\s+Expected sha256 ([0-9a-f]+)\\s*$\\s+Got\\s+([0-9a-f]+)");

    private final LayerCache cache;
    private final BuildLog log;
    private final PipCommand pip;

    /** @param python the host's Python 3 with pip, e.g. {@code python3} */
    public PipInstaller(LayerCache cache, BuildLog log, String python) {
        this.cache = cache;
        this.log = log;
        this.pip = new PipCommand(python);
    }

    /**
     * Resolves {@code layer} into pins. Versions of {@code previous} stay as they are (as pip
     * constraints) unless {@code update} frees them — by name, with the locked distributions they
     * require — or their requirement line changed; when the kept versions cannot satisfy the new
     * inputs, pip resolves afresh and the log says so.
     *
     * @param project paths in the lock are written relative to it
     */
    public PipLock lock(PipLayer layer, PipLock previous, Set<String> update, Path project)
            throws MoleculeException, IOException {
        List<String> requirements = validate(layer);
        PipLock.Inputs inputs = PipLock.Inputs.of(layer, project);
        Path work = Files.createTempDirectory("molecule-pip-lock");
        try {
            Map<String, String> kept = previous == null ? Map.of() : kept(previous, inputs, update);
            Optional<List<PipLock.Pin>> pins = resolve(layer, requirements, kept, project, work);
            if (pins.isEmpty()) {
                log.warn("pip: the locked versions " + kept + " cannot satisfy the new inputs together; resolving"
                        + " every pip package afresh");
                pins = resolve(layer, requirements, Map.of(), project, work);
            }
            return new PipLock(inputs, pins.orElseThrow());
        } finally {
            Trees.delete(work);
        }
    }

    /** The locked versions a re-lock keeps: all but the updated ones (with what they require) and those whose line changed. */
    private static Map<String, String> kept(PipLock previous, PipLock.Inputs inputs, Set<String> update) {
        Set<String> freed = new TreeSet<>();
        update.stream().map(PipLayer::normalize).forEach(freed::add);
        List<String> changed = new ArrayList<>(inputs.requirements());
        changed.removeAll(previous.inputs().requirements());
        changed.stream().map(PipLayer::requirementName).forEach(freed::add);
        if (!Objects.equals(previous.inputs().runtimeVersion(), inputs.runtimeVersion())) {
            freed.add(PipLayer.normalize(inputs.runtimePackage()));
        }
        Map<String, PipLock.Pin> byName = new TreeMap<>();
        previous.pins().forEach(pin -> byName.put(pin.name(), pin));
        Deque<String> queue = new ArrayDeque<>(freed);
        while (!queue.isEmpty()) {
            PipLock.Pin pin = byName.get(queue.remove());
            if (pin != null) {
                pin.requires().stream().filter(freed::add).forEach(queue::add);
            }
        }
        Map<String, String> kept = new TreeMap<>(previous.versions());
        kept.keySet().removeAll(freed);
        return kept;
    }

    /** Empty when pip cannot satisfy the requirements with the {@code kept} versions as constraints. */
    private Optional<List<PipLock.Pin>> resolve(
            PipLayer layer, List<String> requirements, Map<String, String> kept, Path project, Path work)
            throws IOException, MoleculeException {
        List<String> lines = new ArrayList<>(requirements);
        if (!kept.isEmpty()) {
            Path constraints = work.resolve("kept-versions.txt");
            Files.writeString(
                    constraints,
                    kept.entrySet().stream()
                            .map(e -> e.getKey() + "==" + e.getValue() + "\n")
                            .collect(Collectors.joining()),
                    StandardCharsets.UTF_8);
            lines.add("-c " + constraints);
        }
        Path requirementsFile = work.resolve("requirements.txt");
        Files.writeString(requirementsFile, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
        Path report = work.resolve("report.json");
        Files.deleteIfExists(report);
        List<String> args = new ArrayList<>(List.of(
                "--dry-run",
                "--report",
                report.toString(),
                "--target",
                work.resolve("resolve").toString()));
        args.addAll(PipCommand.targetFlags(layer, requirementsFile));
        PipCommand.Outcome outcome = pip.install(args, work);
        if (outcome.exitCode() != 0 || !Files.isRegularFile(report)) {
            if (!kept.isEmpty() && outcome.stderr().contains("ResolutionImpossible")) {
                return Optional.empty();
            }
            throw failure("resolve", layer, requirements, outcome);
        }
        List<PipLock.Pin> pins = PipReport.pins(report, project);
        log.info("pip: locked "
                + pins.stream().map(p -> p.name() + "==" + p.version()).collect(Collectors.joining(", ")));
        return Optional.of(pins);
    }

    /**
     * The layer of exactly {@code lock}'s wheels, from the cache when its key is there, every entry
     * stamped {@code mtime}. pip installs them with {@code --no-deps --require-hashes}: nothing is
     * resolved, and a file whose SHA-256 is not the locked one is refused.
     */
    public PipLayerResult install(PipLayer layer, PipLock lock, Instant mtime) throws MoleculeException, IOException {
        String key = PipLayerKey.of(layer, lock, mtime);
        Optional<LayerCache.Blob> cached = cache.lookupLayer(key);
        if (cached.isPresent()) {
            return new PipLayerResult(key, cached.get(), true);
        }
        log.info("pip layer: installing " + lock.pins().size() + " locked wheels");
        Path work = Files.createTempDirectory("molecule-pip");
        try {
            Path pinned = work.resolve("pinned.txt");
            Files.writeString(
                    pinned,
                    lock.pins().stream().map(p -> p.requirementLine() + "\n").collect(Collectors.joining()),
                    StandardCharsets.UTF_8);
            LayerSpec spec = installInto(layer, lock, pinned, work);
            LayerCache.Blob blob = cache.storeLayer(key, out -> LayerTarWriter.write(spec, mtime, out));
            return new PipLayerResult(key, blob, false);
        } finally {
            Trees.delete(work);
        }
    }

    /** The configuration stage checked the layer; this only guards against a hand-made one. */
    private static List<String> validate(PipLayer layer) {
        List<String> requirements = layer.requirementLines();
        if (requirements.isEmpty()) {
            throw new IllegalArgumentException("a pip layer needs at least one requirement");
        }
        return requirements;
    }

    private LayerSpec installInto(PipLayer layer, PipLock lock, Path pinned, Path work)
            throws IOException, MoleculeException {
        Path site = work.resolve("site");
        List<String> args = new ArrayList<>(List.of("--target", site.toString(), "--no-deps", "--require-hashes"));
        args.addAll(PipCommand.targetFlags(layer, pinned));
        PipCommand.Outcome outcome = pip.install(args, work);
        if (outcome.exitCode() != 0) {
            throw installFailure(layer, lock, outcome);
        }
        Path bin = work.resolve("bin");
        if (Files.isDirectory(site.resolve("bin"))) {
            Files.move(site.resolve("bin"), bin);
        }
        PipScripts.rewriteShebangs(bin, layer.interpreter());
        String binRelative = Path.of(layer.sitePackages())
                .relativize(Path.of(layer.binDir()))
                .toString();
        PipScripts.rewriteRecords(site, bin, binRelative);
        Map<String, String> buildArgs = new TreeMap<>();
        if (layer.runtimeVersion() != null) {
            buildArgs.put("RUNTIME_VERSION", layer.runtimeVersion());
        }
        List<LayerEntry> entries =
                new ArrayList<>(DirectoryScan.entries(site, layer.sitePackages(), DirectoryScan.Policy.ALL));
        if (Files.isDirectory(bin)) {
            entries.addAll(DirectoryScan.entries(bin, layer.binDir(), DirectoryScan.Policy.ALL));
        }
        return new LayerSpec("pip", entries, new TreeMap<>(buildArgs));
    }

    /** A tampered wheel names package, expected and actual hash; a withdrawn one names package, version and the fix. */
    private static PipException installFailure(PipLayer layer, PipLock lock, PipCommand.Outcome outcome) {
        String stderr = outcome.stderr();
        Matcher mismatch = HASH_MISMATCH.matcher(stderr);
        if (mismatch.find()) {
            return new PipException("pip refused " + mismatch.group(1) + " " + mismatch.group(2) + " from "
                    + UrlLogins.redact(mismatch.group(3)) + ": its SHA-256 is " + mismatch.group(5) + " but the lock"
                    + " expects " + mismatch.group(4) + ". The file changed after it was locked; nothing was installed"
                    + " or cached. If the new file is legitimate, re-lock it with `mvn molecule:lock"
                    + " -Dmolecule.lock.update=" + mismatch.group(1) + "` and review the diff");
        }
        Matcher notFound = NOT_FOUND.matcher(stderr);
        if (notFound.find()) {
            String requirement = notFound.group(1);
            String name = PipLayer.requirementName(requirement);
            Matcher versions = VERSIONS.matcher(stderr);
            String offered = versions.find() ? versions.group(1).strip() : "none";
            String version = lock.versions().getOrDefault(name, requirement);
            return new PipException("The lock names " + name + " " + version + " but " + sources(layer)
                    + " no longer serves it for Python " + layer.pythonVersion() + " (they offer: " + offered
                    + "). Restore the file there, or re-lock with `mvn molecule:lock -Dmolecule.lock.update=" + name
                    + "` to take another version, and review the diff.\npip said:\n" + outcome.stderrTail());
        }
        return failure(
                "install",
                layer,
                lock.pins().stream().map(PipLock.Pin::requirementLine).toList(),
                outcome);
    }

    private static PipException failure(
            String step, PipLayer layer, List<String> requirements, PipCommand.Outcome outcome) {
        String stderr = outcome.stderr();
        Matcher notFound = NOT_FOUND.matcher(stderr);
        String requirement = notFound.find() ? notFound.group(1) : String.join(", ", requirements);
        Matcher versions = VERSIONS.matcher(stderr);
        String offered = versions.find() ? versions.group(1).strip() : "";
        String sources = sources(layer);
        String offers = offered.isEmpty() || offered.equals("none")
                ? "these sources offer no wheel of it for this Python and platform"
                : "these sources offer " + offered;
        String fix;
        if (unreachable(stderr)) {
            fix = "Check that the index is reachable from the build machine (proxy, credentials), or put the wheels"
                    + " in a <findLinks> directory and set <noIndex>";
        } else if (layer.runtimeRequirement() != null
                && PipLayer.requirementName(requirement).equals(PipLayer.normalize(layer.runtimePackage()))) {
            fix = "Set <runtimeVersion> to a released version (" + offers + "), or add the wheel of "
                    + layer.runtimeRequirement() + " to a <findLinks> directory";
        } else {
            fix = "Require a version with a wheel for Python " + layer.pythonVersion() + " on "
                    + String.join(", ", layer.platforms()) + " (" + offers
                    + "), or add that wheel to a <findLinks> directory";
        }
        return new PipException("pip could not " + step + " " + requirement + " from " + sources + " for Python "
                + layer.pythonVersion() + " (" + String.join(", ", layer.platforms()) + "). " + fix
                + ".\npip said:\n" + outcome.stderrTail());
    }

    private static boolean unreachable(String stderr) {
        return Stream.of(
                        "Could not fetch URL",
                        "Failed to establish a new connection",
                        "Max retries exceeded",
                        "Name or service not known",
                        "Connection refused")
                .anyMatch(stderr::contains);
    }

    /** The index and find-links pip used, credentials removed. */
    static String sources(PipLayer layer) {
        List<String> parts = new ArrayList<>();
        if (layer.noIndex()) {
            parts.add("no index");
        } else {
            parts.add("index "
                    + (layer.indexUrl() == null ? "pip's default (PyPI)" : UrlLogins.redact(layer.indexUrl())));
            layer.extraIndexUrls().forEach(url -> parts.add("extra index " + UrlLogins.redact(url)));
        }
        layer.findLinks().forEach(directory -> parts.add("find-links " + directory));
        return String.join(", ", parts);
    }
}
