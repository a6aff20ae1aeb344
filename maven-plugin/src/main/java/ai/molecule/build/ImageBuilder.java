package ai.molecule.build;

import ai.molecule.core.BuildLog;
import ai.molecule.core.CacheOutcome;
import ai.molecule.core.LayerCache;
import ai.molecule.core.MoleculeException;
import ai.molecule.image.ImageSpec;
import ai.molecule.lock.LockRequest;
import ai.molecule.lock.MoleculeLock;
import ai.molecule.sbom.Component;
import ai.molecule.sbom.LayerLicences;
import ai.molecule.sbom.Sbom;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.Stream;

/**
 * Builds an image as one pipeline, each stage taking only what the one before produced: resolve
 * (the base into the cache, the Debian packages from the lock), layers (each {@link LayerStep} in
 * order, from the content-keyed cache or built), image (config from the layers), deliver (the
 * {@link Target}), report (with the SBOMs). A failed build leaves no output tar and no report behind.
 */
public final class ImageBuilder {
    public static final String REPORT_FILE = "build-report.json";
    /** The CycloneDX 1.6 SBOM beside the report. */
    public static final String CYCLONEDX_FILE = Sbom.CYCLONEDX_FILE;
    /** The SPDX 2.3 SBOM beside the report. */
    public static final String SPDX_FILE = Sbom.SPDX_FILE;

    /** {@code molecule-maven-plugin-<version>}, as the SBOMs name their tool. */
    static final String TOOL = "molecule-maven-plugin-" + PluginVersion.get();

    private LayerCache cache;
    private CacheRepository shared;
    private final Path cacheRoot;
    private final BuildLog log;
    private final boolean offline;
    private boolean sboms = true;

    public ImageBuilder(Path cacheRoot, BuildLog log) throws IOException {
        this(cacheRoot, log, false);
    }

    /** @param offline take Debian indexes and packages, and npm packages, only from caches ({@code mvn -o}) */
    public ImageBuilder(Path cacheRoot, BuildLog log, boolean offline) throws IOException {
        this.cacheRoot = cacheRoot;
        this.cache = new LayerCache(cacheRoot, log);
        this.log = log;
        this.offline = offline;
    }

    /**
     * Shares the layer cache through a registry repository: a layer missing here is fetched from
     * there, a layer built or held here and missing there is pushed there. As the registry target,
     * it is used offline too: {@code mvn -o} keeps the Debian archive and npm out, not the
     * registries a build names.
     */
    public ImageBuilder sharingLayersThrough(CacheRepository repository) throws IOException {
        shared = repository;
        cache = new LayerCache(cacheRoot, log, repository);
        return this;
    }

    /** Leaves the SBOMs out (the dev loop's throwaway images); a release build writes them. */
    public ImageBuilder withoutSboms() {
        sboms = false;
        return this;
    }

    /**
     * Locks the spec's Debian packages (against the verified archive and the base's dpkg state), npm
     * and pip layers, keeping what {@code previous} locked unless {@code request} asks otherwise.
     *
     * @param previous the current lock, {@code null} for none
     */
    public MoleculeLock lock(
            ImageSpec spec, RegistryAccess baseAccess, Path workDir, MoleculeLock previous, LockRequest request)
            throws MoleculeException, IOException {
        if (spec.osPackages() == null && spec.npm() == null && spec.pip() == null) {
            throw new MoleculeException("Nothing to lock: the POM declares no <debian>, <npm> or <pip>. Add one of"
                    + " them, or drop the molecule:lock goal");
        }
        BuildContext context = context(workDir);
        BaseLayers base = spec.osPackages() == null ? null : new BaseResolver(context).resolve(spec, baseAccess);
        return new Resolver(context).lock(spec, base, previous, request);
    }

    /** Locks from scratch, as the first {@code molecule:lock} of a template does. */
    public MoleculeLock lock(ImageSpec spec, RegistryAccess baseAccess, Path workDir)
            throws MoleculeException, IOException {
        return lock(spec, baseAccess, workDir, null, LockRequest.KEEP);
    }

    /** Builds with anonymous access to the base's registry. */
    public BuildResult build(ImageSpec spec, Target target, Path reportDir) throws MoleculeException, IOException {
        return build(SpecSource.of(spec, RegistryAccess.ANONYMOUS), target, reportDir);
    }

    public BuildResult build(ImageSpec spec, RegistryAccess baseAccess, Target target, Path reportDir)
            throws MoleculeException, IOException {
        return build(SpecSource.of(spec, baseAccess), target, reportDir);
    }

    /**
     * Runs the pipeline: configuration, resolve, layers, image, deliver, report.
     *
     * @param reportDir where {@code build-report.json} goes (and temporary files of this build)
     */
    public BuildResult build(SpecSource source, Target target, Path reportDir) throws MoleculeException, IOException {
        try {
            return run(source, target, reportDir);
        } finally {
            // Layers built here go on uploading to the shared cache beside the image and delivery stages.
            cache.finishSharing();
        }
    }

    private BuildResult run(SpecSource source, Target target, Path reportDir) throws MoleculeException, IOException {
        long start = System.nanoTime();
        Path report = reportDir.resolve(REPORT_FILE);
        Files.deleteIfExists(report);
        Sbom.discard(reportDir);
        target.discardPrevious();
        ImageSpec spec = source.imageSpec();
        BuildContext context = context(reportDir);

        boolean sbomLibrariesStarting = false;
        long baseStart = System.nanoTime();
        BaseLayers base = new BaseResolver(context).resolve(spec, source.baseAccess(spec));
        Resolution resolution = new Resolver(context).resolve(spec, base);
        BuildReport built = new BuildReport(log);
        built.addBase(base, millisSince(baseStart));
        for (LayerStep step : LayerSteps.of(spec)) {
            long stepStart = System.nanoTime();
            List<LayerStep.Built> layers = step.build(context, resolution);
            // A step making several layers makes them together: its time goes on the first one it built.
            int timed = Math.max(0, indexOfFirstMiss(layers));
            for (int i = 0; i < layers.size(); i++) {
                LayerStep.Built layer = layers.get(i);
                built.add(layer, i == timed ? millisSince(stepStart) : 0);
                if (sboms && layer.outcome() == CacheOutcome.MISS && !sbomLibrariesStarting) {
                    // A changed layer means new SBOMs: the libraries (~1 s to load and start) start beside the rest.
                    sbomLibrariesStarting = true;
                    CompletableFuture.runAsync(Sbom::warmUp);
                }
            }
        }

        byte[] config = ImageConfig.write(base.config(), spec, built.diffIds(), built.names());
        BuiltImage image = new BuiltImage(config, built.blobs(), target.image(), spec.creationTime());
        // The SBOMs name the image ID, which the config fixes: they are written while the target delivers.
        // An unchanged image takes them from the cache at once; a new one waits for the libraries there.
        // The licences are read from the layers there too (once per layer and cache).
        CompletableFuture<Sboms> documents = sboms
                ? CompletableFuture.supplyAsync(() -> writeSboms(target, image, spec, built, reportDir))
                : CompletableFuture.completedFuture(new Sboms(built.components(), List.of()));
        Target.Delivered delivered;
        Sboms written;
        try {
            delivered = target.deliver(image, context);
            written = awaitSboms(documents);
            target.attach(image, written.files(), context);
        } catch (MoleculeException | IOException | RuntimeException e) {
            documents.handle((done, failure) -> null).join();
            Sbom.discard(reportDir);
            throw e;
        }

        BuildResult result = built.result(spec, target, delivered, written.components(), millisSince(start));
        result.writeTo(report);
        log.info("Image " + target.image() + " " + delivered.imageId());
        return result;
    }

    /** The image's components, with the licences their layers state, and the documents that list them. */
    private record Sboms(List<Component> components, List<Path> files) {}

    private Sboms writeSboms(Target target, BuiltImage image, ImageSpec spec, BuildReport built, Path reportDir) {
        try {
            List<Component> components = built.licensedComponents(cache);
            Sbom sbom = new Sbom(target.image(), image.imageId(), spec.creationTime(), TOOL, components);
            return new Sboms(components, sbom.writeTo(reportDir, cache));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Sboms awaitSboms(CompletableFuture<Sboms> documents) throws IOException {
        try {
            return documents.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof UncheckedIOException io) {
                throw io.getCause();
            }
            throw e.getCause() instanceof RuntimeException runtime ? runtime : e;
        }
    }

    private BuildContext context(Path workDir) throws IOException {
        Files.createDirectories(workDir);
        return new BuildContext(
                cache,
                cacheRoot,
                workDir,
                log,
                offline,
                Optional.ofNullable(shared).map(CacheRepository::repository));
    }

    private static int indexOfFirstMiss(List<LayerStep.Built> layers) {
        for (int i = 0; i < layers.size(); i++) {
            if (layers.get(i).outcome() == CacheOutcome.MISS) {
                return i;
            }
        }
        return -1;
    }

    static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }

    /** The layers of a build as they come, for the config and the report. */
    private static final class BuildReport {
        private final BuildLog log;
        private final List<LayerCache.Blob> blobs = new ArrayList<>();
        private final List<String> names = new ArrayList<>();
        private final List<BuildResult.LayerReport> layers = new ArrayList<>();
        /** Each layer built with the components it installed. */
        private final Map<LayerCache.Blob, List<Component>> installed = new LinkedHashMap<>();

        BuildReport(BuildLog log) {
            this.log = log;
        }

        void addBase(BaseLayers base, long millis) {
            for (int i = 0; i < base.layers().size(); i++) {
                LayerCache.Blob blob = base.layers().get(i);
                blobs.add(blob);
                layers.add(new BuildResult.LayerReport(
                        "base " + (i + 1),
                        "base",
                        null,
                        blob.digest(),
                        blob.size(),
                        base.outcomes().get(i),
                        i == 0 ? millis : 0));
            }
        }

        void add(LayerStep.Built layer, long millis) {
            String name = layer.name();
            LayerCache.Blob blob = layer.blob();
            log.info(String.format(
                    "Layer %-24s %s  %s  %s (%d ms)",
                    name,
                    layer.outcome() == CacheOutcome.HIT ? "cached " : "built  ",
                    blob.digest().substring("sha256:".length(), "sha256:".length() + 12),
                    Sizes.of(blob.size()),
                    millis));
            layers.add(new BuildResult.LayerReport(
                    name, "build", layer.key(), blob.digest(), blob.size(), layer.outcome(), millis));
            blobs.add(blob);
            names.add(name);
            installed.merge(
                    blob,
                    layer.components(),
                    (a, b) -> Stream.concat(a.stream(), b.stream()).toList());
        }

        List<LayerCache.Blob> blobs() {
            return blobs;
        }

        List<String> diffIds() {
            return blobs.stream().map(LayerCache.Blob::digest).toList();
        }

        List<String> names() {
            return names;
        }

        List<Component> components() {
            return installed.values().stream().flatMap(List::stream).toList();
        }

        /** As {@link #components()}, each with the licence its layer states (see {@link LayerLicences}). */
        List<Component> licensedComponents(LayerCache cache) throws IOException {
            List<Component> licensed = new ArrayList<>();
            for (Map.Entry<LayerCache.Blob, List<Component>> layer : installed.entrySet()) {
                licensed.addAll(LayerLicences.apply(cache, layer.getKey(), layer.getValue(), log));
            }
            return licensed;
        }

        BuildResult result(
                ImageSpec spec, Target target, Target.Delivered delivered, List<Component> sbom, long millis) {
            return new BuildResult(
                    target.image(),
                    target.name(),
                    delivered.imageId(),
                    delivered.manifestDigest(),
                    delivered.output(),
                    spec.base().toString(),
                    spec.creationTime().toString(),
                    spec.buildArgs(),
                    layers,
                    sbom,
                    millis);
        }
    }
}
