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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Builds a pip layer without a container: the host's pip resolves the requirements for the image's
 * interpreter and platform, the layer's key is computed from the inputs and that resolution, and
 * only on a cache miss does pip install into a scratch directory that becomes the layer. Nothing is
 * stored when pip fails.
 */
public final class PipInstaller {
    private static final Pattern NOT_FOUND = Pattern.compile("No matching distribution found for (\\S+)");
    private static final Pattern VERSIONS = Pattern.compile("\\(from versions: ([^)]*)\\)");

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
     * The layer for {@code layer}, from the cache when its key is there, every entry stamped {@code
     * mtime}; a layer that leaves the Python version open is built for {@value PipLayer#DEFAULT_PYTHON_VERSION}.
     */
    public PipLayerResult install(PipLayer configured, Instant mtime) throws MoleculeException, IOException {
        PipLayer layer = configured.forPython(PipLayer.DEFAULT_PYTHON_VERSION);
        List<String> requirements = validate(layer);
        Path work = Files.createTempDirectory("molecule-pip");
        try {
            Path requirementsFile = work.resolve("requirements.txt");
            Files.writeString(requirementsFile, String.join("\n", requirements) + "\n", StandardCharsets.UTF_8);
            PipReport resolved = resolve(layer, requirements, requirementsFile, work);
            String key = PipLayerKey.of(layer, requirements, resolved, mtime);
            Optional<LayerCache.Blob> cached = cache.lookup(key);
            if (cached.isPresent()) {
                log.info("pip layer " + describe(resolved) + ": cached");
                return new PipLayerResult(key, cached.get(), true, resolved.components());
            }
            log.info("pip layer " + describe(resolved) + ": installing");
            LayerSpec spec = installInto(layer, requirements, requirementsFile, pinned(resolved, work), work);
            LayerCache.Blob blob = cache.store(key, out -> LayerTarWriter.write(spec, mtime, out));
            return new PipLayerResult(key, blob, false, resolved.components());
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

    private PipReport resolve(PipLayer layer, List<String> requirements, Path requirementsFile, Path work)
            throws IOException, PipException {
        Path report = work.resolve("report.json");
        List<String> args = new ArrayList<>(List.of(
                "--dry-run",
                "--report",
                report.toString(),
                "--target",
                work.resolve("resolve").toString()));
        args.addAll(PipCommand.targetFlags(layer, requirementsFile));
        PipCommand.Outcome outcome = pip.install(args, work);
        if (outcome.exitCode() != 0 || !Files.isRegularFile(report)) {
            throw failure("resolve", layer, requirements, outcome);
        }
        return PipReport.read(report);
    }

    private LayerSpec installInto(
            PipLayer layer, List<String> requirements, Path requirementsFile, Optional<Path> pinned, Path work)
            throws IOException, MoleculeException {
        Path site = work.resolve("site");
        List<String> args = new ArrayList<>(List.of("--target", site.toString()));
        if (pinned.isPresent()) {
            args.addAll(List.of("--no-deps", "--require-hashes"));
        }
        args.addAll(PipCommand.targetFlags(layer, pinned.orElse(requirementsFile)));
        PipCommand.Outcome outcome = pip.install(args, work);
        if (outcome.exitCode() != 0) {
            throw failure("install", layer, requirements, outcome);
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

    /**
     * The resolution as {@code name==version --hash=sha256:…} lines, so that the install takes exactly
     * the distributions the key was computed from even if an index changes in between; empty when pip
     * reported a distribution without a hash, then the install resolves the requirements again.
     */
    private static Optional<Path> pinned(PipReport resolved, Path work) throws IOException {
        if (resolved.components().stream()
                .anyMatch(component -> component.sha256().isEmpty())) {
            return Optional.empty();
        }
        List<String> lines = resolved.components().stream()
                .map(component ->
                        component.name() + "==" + component.version() + " --hash=sha256:" + component.sha256())
                .toList();
        Path pinned = work.resolve("pinned.txt");
        Files.writeString(pinned, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
        return Optional.of(pinned);
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

    private static String describe(PipReport resolved) {
        return resolved.components().stream()
                .map(component -> component.name() + "==" + component.version())
                .collect(Collectors.joining(", "));
    }
}
