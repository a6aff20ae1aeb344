package ai.molecule.build;

import ai.molecule.core.BuildLog;
import ai.molecule.core.InvalidConfigurationException;
import ai.molecule.core.KeyDigest;
import ai.molecule.core.LayerCache;
import ai.molecule.core.LayerKey;
import ai.molecule.core.LayerSpec;
import ai.molecule.core.LayerTarWriter;
import ai.molecule.core.MoleculeException;
import ai.molecule.debian.LockFile;
import ai.molecule.debian.LockedPackage;
import ai.molecule.image.BaseImage;
import ai.molecule.image.ImageSpec;
import ai.molecule.image.PipLayer;
import ai.molecule.npm.NpmInstaller;
import ai.molecule.pip.PipInstaller;
import ai.molecule.pip.PipLayerResult;
import ai.molecule.validate.SecretRule;
import ai.molecule.validate.SecretScanner;
import ai.molecule.validate.ValidationException;
import ai.molecule.validate.Violation;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Builds an image: resolves the base, takes each layer from the content-keyed cache or builds it,
 * writes the config, delivers to the target and reports. A failed build leaves no output tar and no
 * report behind.
 */
public final class ImageBuilder {
    public static final String REPORT_FILE = "build-report.json";

    private final LayerCache cache;
    private final Path cacheRoot;
    private final BuildLog log;
    private final boolean offline;

    public ImageBuilder(Path cacheRoot, BuildLog log) throws IOException {
        this(cacheRoot, log, false);
    }

    /** @param offline take Debian indexes and packages only from the cache ({@code mvn -o}) */
    public ImageBuilder(Path cacheRoot, BuildLog log, boolean offline) throws IOException {
        this.cacheRoot = cacheRoot;
        this.cache = new LayerCache(cacheRoot, log);
        this.log = log;
        this.offline = offline;
    }

    /**
     * Resolves the spec's Debian packages against the verified archive and the base's dpkg state:
     * the content of {@code molecule.lock}.
     */
    public LockFile lock(ImageSpec spec, RegistryAccess baseAccess, Path workDir)
            throws MoleculeException, IOException {
        if (spec.osPackages() == null) {
            throw new InvalidConfigurationException(
                    "debian", "no packages are declared", "Add <debian><packages>…</packages></debian> to lock them");
        }
        Files.createDirectories(workDir);
        BaseLayers base = resolveBase(spec, baseAccess, workDir, new ArrayList<>());
        return new OsLayer(cache, log, offline).lock(spec.osPackages(), base);
    }

    /** Builds with anonymous access to the base's registry. */
    public BuildResult build(ImageSpec spec, Target target, Path reportDir) throws MoleculeException, IOException {
        return build(spec, RegistryAccess.ANONYMOUS, target, reportDir);
    }

    /**
     * @param baseAccess how to reach the base's registry (registry bases only)
     * @param reportDir where {@code build-report.json} goes (and temporary files of this build)
     */
    public BuildResult build(ImageSpec spec, RegistryAccess baseAccess, Target target, Path reportDir)
            throws MoleculeException, IOException {
        long start = System.nanoTime();
        discardOutputs(target instanceof Target.Tar tar ? tar.file() : null, reportDir);
        String repoTag = normalizeReference(target.image());
        Path report = reportDir.resolve(REPORT_FILE);
        Files.createDirectories(reportDir);

        List<BuildResult.LayerReport> reports = new ArrayList<>();
        BaseLayers base = resolveBase(spec, baseAccess, reportDir, reports);
        List<LayerCache.Blob> layers = new ArrayList<>(base.layers());
        List<String> names = new ArrayList<>();
        List<BuildResult.Component> sbom = new ArrayList<>();
        List<LockedPackage> debs = List.of();
        if (spec.osPackages() != null) {
            long osStart = System.nanoTime();
            OsLayer.Built os = new OsLayer(cache, log, offline).build(spec, base);
            add("debian", os.key(), os.blob(), os.hit(), osStart, reports, layers, names);
            debs = os.packages();
            debs.forEach(p -> sbom.add(
                    new BuildResult.Component("deb", p.name(), p.version(), p.architecture(), p.sha256(), null)));
        }
        if (spec.npm() != null) {
            long npmStart = System.nanoTime();
            NpmInstaller.Result built = new NpmInstaller(cache, cacheRoot.resolve("npm"), log, offline)
                    .install(spec.npm(), spec.creationTime());
            add("npm", built.key(), built.blob(), built.hit(), npmStart, reports, layers, names);
            built.packages()
                    .forEach(p -> sbom.add(
                            new BuildResult.Component("npm", p.name(), p.version(), null, null, p.integrity())));
        }
        // npm below pip: a runtime.version bump, the frequent change, then rebuilds and re-sends only
        // the pip layer and the small file layers, not the agent CLI's hundreds of megabytes.
        if (spec.pip() != null) {
            long pipStart = System.nanoTime();
            PipLayer pip = spec.pip().forPython(pythonVersion(spec.pip(), debs));
            PipLayerResult built = new PipInstaller(cache, log, "python3").install(pip, spec.creationTime());
            add("pip", built.key(), built.blob(), built.cacheHit(), pipStart, reports, layers, names);
            built.components()
                    .forEach(c ->
                            sbom.add(new BuildResult.Component("pypi", c.name(), c.version(), null, c.sha256(), null)));
        }
        for (LayerSpec layer : spec.layers()) {
            long layerStart = System.nanoTime();
            String key = LayerKey.of(layer, spec.creationTime());
            Optional<LayerCache.Blob> hit = cache.lookup(key);
            LayerCache.Blob blob = hit.isPresent() ? hit.get() : buildFileLayer(layer, key, spec, reportDir);
            add(layer.name(), key, blob, hit.isPresent(), layerStart, reports, layers, names);
        }

        List<String> diffIds = layers.stream().map(LayerCache.Blob::digest).toList();
        byte[] config = ImageConfig.write(base.config(), spec, diffIds, names);
        String configHex = HexFormat.of().formatHex(KeyDigest.sha256().digest(config));
        String imageId = "sha256:" + configHex;

        String manifestDigest = null;
        String output = null;
        if (target instanceof Target.Tar tar) {
            writeTar(tar.file(), config, configHex, layers, repoTag, spec);
            output = tar.file().toString();
            log.info("Wrote " + tar.file() + " (" + size(Files.size(tar.file())) + ")");
        } else if (target instanceof Target.Docker) {
            loadIntoEngine(config, configHex, imageId, layers, repoTag, spec);
        } else if (target instanceof Target.Registry registry) {
            Path tmp = reportDir.resolve(".push-" + configHex + ".tar");
            try {
                writeTar(tmp, config, configHex, layers, repoTag, spec);
                log.info("Pushing " + repoTag + " with Jib Core");
                JibBridge.Pushed pushed = new JibBridge(cacheRoot.resolve("jib"), log)
                        .push(tmp, repoTag, registry.access(), spec.creationTime());
                manifestDigest = pushed.manifestDigest();
                // Jib rewrites the config it pushes; report the ID the registry's image has.
                imageId = pushed.imageId();
                log.info("Pushed " + repoTag + "@" + manifestDigest);
            } finally {
                Files.deleteIfExists(tmp);
            }
        }

        BuildResult result = new BuildResult(
                repoTag,
                targetName(target),
                imageId,
                manifestDigest,
                output,
                describe(spec.base()),
                spec.creationTime().toString(),
                spec.buildArgs(),
                reports,
                sbom,
                millisSince(start));
        result.writeTo(report);
        log.info("Image " + repoTag + " " + imageId);
        return result;
    }

    /** Logs a built layer and adds it to the image and the report. */
    private void add(
            String name,
            String key,
            LayerCache.Blob blob,
            boolean hit,
            long startNanos,
            List<BuildResult.LayerReport> reports,
            List<LayerCache.Blob> layers,
            List<String> names) {
        long millis = millisSince(startNanos);
        log.info(String.format(
                "Layer %-24s %s  %s  %s (%d ms)",
                name, hit ? "cached " : "built  ", shortId(blob.digest()), size(blob.size()), millis));
        reports.add(new BuildResult.LayerReport(
                name, "build", key, blob.digest(), blob.size(), hit ? "hit" : "miss", millis));
        layers.add(blob);
        names.add(name);
    }

    /**
     * The Python the pip layer targets: the Debian layer's {@code python3.X} when it installs one,
     * else the layer's own version, else {@value PipLayer#DEFAULT_PYTHON_VERSION} (bookworm's).
     */
    static String pythonVersion(PipLayer pip, List<LockedPackage> debs) throws InvalidConfigurationException {
        Optional<String> image = debs.stream()
                .map(LockedPackage::name)
                .filter(name -> name.matches("python3\\.\\d+"))
                .map(name -> name.substring("python".length()))
                .max(Comparator.comparingInt(version -> Integer.parseInt(version.substring(2))));
        if (image.isPresent()
                && pip.pythonVersion() != null
                && !pip.pythonVersion().equals(image.get())) {
            throw new InvalidConfigurationException(
                    "pip><pythonVersion",
                    "the pip layer is for Python " + pip.pythonVersion() + " but the Debian layer installs python"
                            + image.get() + " (see the lock file)",
                    "Remove <pythonVersion> so that the layer targets the image's Python, or install python"
                            + pip.pythonVersion() + " with <debian>");
        }
        return image.orElse(pip.pythonVersion() != null ? pip.pythonVersion() : PipLayer.DEFAULT_PYTHON_VERSION);
    }

    /**
     * Writes a layer of template files, scans it for credential-shaped strings and only then stores it,
     * so a layer holding a secret never reaches the cache. Debian, pip and npm layers are not scanned:
     * third-party packages ship test keys and fixtures that look like credentials.
     */
    private LayerCache.Blob buildFileLayer(LayerSpec layer, String key, ImageSpec spec, Path workDir)
            throws MoleculeException, IOException {
        Path part = Files.createTempFile(workDir, ".layer-", ".tar");
        try {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(part), 256 * 1024)) {
                LayerTarWriter.write(layer, spec.creationTime(), out);
            }
            List<SecretScanner.TarFinding> findings;
            try (InputStream in = Files.newInputStream(part)) {
                findings = SecretScanner.scanTar(in);
            }
            if (!findings.isEmpty()) {
                throw secretsIn(layer, findings);
            }
            return cache.store(key, out -> Files.copy(part, out));
        } finally {
            Files.deleteIfExists(part);
        }
    }

    private static ValidationException secretsIn(LayerSpec layer, List<SecretScanner.TarFinding> findings) {
        List<Violation> violations = new ArrayList<>();
        for (SecretScanner.TarFinding found : findings) {
            String source = layer.entries().stream()
                    .filter(entry -> entry.path().equals(found.path()) && entry.source() != null)
                    .map(entry -> entry.source() + " (" + found.path() + ")")
                    .findFirst()
                    .orElse(found.path());
            violations.add(SecretRule.violation(source, found.finding()));
        }
        return new ValidationException("Layer " + layer.name() + " holds credential-shaped strings", violations);
    }

    /**
     * Removes what an earlier build wrote, so that a build failing from here on leaves no stale tar
     * or report that could pass for its own.
     *
     * @param tarFile the tar target's file, or {@code null}
     */
    public static void discardOutputs(Path tarFile, Path reportDir) throws IOException {
        Files.deleteIfExists(reportDir.resolve(REPORT_FILE));
        if (tarFile != null) {
            Files.deleteIfExists(tarFile);
        }
    }

    private BaseLayers resolveBase(
            ImageSpec spec, RegistryAccess access, Path workDir, List<BuildResult.LayerReport> reports)
            throws MoleculeException, IOException {
        BaseImage base = spec.base();
        long start = System.nanoTime();
        BaseLayers layers;
        if (base instanceof BaseImage.Scratch) {
            return new BaseLayers(new ObjectMapper().createObjectNode(), List.of());
        } else if (base instanceof BaseImage.TarFile tar) {
            if (!Files.isReadable(tar.path())) {
                throw new InvalidConfigurationException(
                        "base",
                        "base tar " + tar.path() + " does not exist or is not readable",
                        "Point tar:// at a file written by `docker save -o` or by this plugin's tar target");
            }
            log.info("Reading base " + tar.path());
            layers = readTar(tar.path());
        } else {
            Path tmp = workDir.resolve(".base-" + System.nanoTime() + ".tar");
            try {
                log.info("Fetching base " + describe(base) + " with Jib Core");
                new JibBridge(cacheRoot.resolve("jib"), log)
                        .saveBase(base, access, spec.architecture(), spec.os(), tmp);
                layers = readTar(tmp);
            } finally {
                Files.deleteIfExists(tmp);
            }
        }
        long millis = millisSince(start);
        for (int i = 0; i < layers.layers().size(); i++) {
            LayerCache.Blob blob = layers.layers().get(i);
            reports.add(new BuildResult.LayerReport(
                    "base " + (i + 1), "base", null, blob.digest(), blob.size(), "hit", i == 0 ? millis : 0));
        }
        log.info("Base " + describe(base) + ": " + layers.layers().size() + " layers (" + millis + " ms)");
        return layers;
    }

    private BaseLayers readTar(Path tar) throws MoleculeException, IOException {
        try {
            return DockerSaveTar.read(tar, cache);
        } catch (IOException e) {
            throw new InvalidConfigurationException(
                    "base",
                    "cannot read base tar " + tar + ": " + e.getMessage(),
                    "Point tar:// at a file written by `docker save -o` or by this plugin's tar target");
        }
    }

    private void writeTar(
            Path file, byte[] config, String configHex, List<LayerCache.Blob> layers, String repoTag, ImageSpec spec)
            throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path part = file.resolveSibling(file.getFileName() + ".part");
        try {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(part), 256 * 1024)) {
                DockerSaveTar.write(out, config, configHex, layers, repoTag, spec.creationTime(), 0);
            }
            Files.move(part, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(part);
        }
    }

    private void loadIntoEngine(
            byte[] config,
            String configHex,
            String imageId,
            List<LayerCache.Blob> layers,
            String repoTag,
            ImageSpec spec)
            throws MoleculeException {
        DockerEngine engine = new DockerEngine();
        engine.requireRunning();
        if (imageId.equals(engine.imageId(repoTag))) {
            log.info("Engine already holds " + repoTag + " as " + imageId + "; nothing to load");
            return;
        }
        // docker load skips a layer file when the engine holds its chain; the previous build under
        // this tag shares the longest common prefix, so send only what lies above it.
        List<String> held = engine.diffIds(repoTag);
        int shared = 0;
        while (shared < Math.min(held.size(), layers.size())
                && held.get(shared).equals(layers.get(shared).digest())) {
            shared++;
        }
        int omitBottom = shared;
        long bytes = layers.subList(shared, layers.size()).stream()
                .collect(Collectors.toMap(LayerCache.Blob::digest, LayerCache.Blob::size, (a, b) -> a))
                .values()
                .stream()
                .mapToLong(Long::longValue)
                .sum();
        log.info("Loading " + repoTag + " into the engine: " + (layers.size() - shared) + " of " + layers.size()
                + " layers, " + size(bytes));
        engine.load(out -> {
            BufferedOutputStream buffered = new BufferedOutputStream(out, 256 * 1024);
            DockerSaveTar.write(buffered, config, configHex, layers, repoTag, spec.creationTime(), omitBottom);
            buffered.flush();
        });
    }

    static String normalizeReference(String image) throws InvalidConfigurationException {
        ImageReference reference;
        try {
            reference = ImageReference.parse(image);
        } catch (InvalidImageReferenceException e) {
            reference = null;
        }
        if (reference == null || reference.getDigest().isPresent()) {
            throw new InvalidConfigurationException(
                    "image",
                    "'" + image + "' is not a valid image name",
                    "Write it as [registry/]repository[:tag] in lower case, e.g. molecule/claude-code:1.0");
        }
        return image.substring(image.lastIndexOf('/') + 1).contains(":") ? image : image + ":latest";
    }

    /** The registry host of an image name, e.g. {@code 127.0.0.1:5000}: the default settings.xml server id. */
    public static String registryHost(String image) throws InvalidConfigurationException {
        try {
            return ImageReference.parse(image).getRegistry();
        } catch (InvalidImageReferenceException e) {
            return normalizeReference(image);
        }
    }

    private static String targetName(Target target) {
        if (target instanceof Target.Tar) {
            return "tar";
        }
        return target instanceof Target.Docker ? "docker" : "registry";
    }

    private static String describe(BaseImage base) {
        if (base instanceof BaseImage.TarFile t) {
            return "tar://" + t.path();
        } else if (base instanceof BaseImage.DockerDaemon d) {
            return "docker://" + d.reference();
        } else if (base instanceof BaseImage.Registry r) {
            return "registry://" + r.reference();
        }
        return "scratch";
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }

    private static String shortId(String digest) {
        return digest.substring(0, "sha256:".length() + 12);
    }

    static String size(long bytes) {
        return bytes < 1024 * 1024
                ? String.format("%.1f KB", bytes / 1024.0)
                : String.format("%.1f MB", bytes / 1048576.0);
    }
}
