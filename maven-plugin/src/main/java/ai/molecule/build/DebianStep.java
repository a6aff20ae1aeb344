package ai.molecule.build;

import ai.molecule.core.CacheOutcome;
import ai.molecule.core.Futures;
import ai.molecule.core.KeyDigest;
import ai.molecule.core.LayerCache;
import ai.molecule.core.MoleculeException;
import ai.molecule.debian.DebianLock;
import ai.molecule.debian.LockedPackage;
import ai.molecule.image.Account;
import ai.molecule.image.DebianSpec;
import ai.molecule.image.Group;
import ai.molecule.image.ImageSpec;
import ai.molecule.image.LayerKind;
import ai.molecule.image.OsPackages;
import ai.molecule.rootfs.AptSources;
import ai.molecule.rootfs.OsLayerPlan;
import ai.molecule.rootfs.RootfsAssembler;
import ai.molecule.sbom.Component;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The Debian layers: the locked packages, downloaded and verified, assembled on top of the base's
 * dpkg state and split by {@link OsLayerPlan}. A package layer's cache key covers its packages'
 * hashes and what decides where their files land (merged-/usr, the timestamp); the system layer's
 * covers every locked package, the accounts, the extra CA certificates, the archive it points apt
 * at and the base's layers. The packages are downloaded and assembled only when a layer is missing;
 * then the packages of the cached package layers are read from those layers' files (through the
 * index kept beside each), and only the missing layers' packages are decompressed.
 */
final class DebianStep implements LayerStep {
    /** Bump when the assembler's output changes for the same inputs. */
    private static final String FORMAT = "molecule-os-layer/2";
    /** Layers written at once; each is hashed as it is written. */
    private static final int MAX_WRITERS = 4;

    private final ImageSpec spec;

    DebianStep(ImageSpec spec) {
        this.spec = spec;
    }

    @Override
    public LayerKind kind() {
        return LayerKind.DEBIAN;
    }

    @Override
    public List<Built> build(BuildContext context, Resolution resolution) throws MoleculeException, IOException {
        OsPackages os = spec.osPackages();
        DebianLock lock = resolution.lock().debian();
        Map<String, String> inBase = resolution.baseSystem().installed();
        List<LockedPackage> fresh = lock.packages().stream()
                .filter(p -> !p.version().equals(inBase.get(p.name())))
                .toList();
        OsLayerPlan plan = OsLayerPlan.of(fresh.stream()
                .map(p -> new OsLayerPlan.Package(p.name(), p.path(), p.size()))
                .toList());
        String suite = os.debian().suite();
        Map<String, Component> components = new LinkedHashMap<>();
        for (LockedPackage p : lock.packages()) {
            components.put(
                    p.name(),
                    Component.deb(
                            p.name(),
                            p.version(),
                            p.architecture(),
                            suite,
                            p.sha256(),
                            p.url().toString()));
        }
        boolean baseFiles =
                fresh.stream().anyMatch(p -> p.name().equals("base-files")) || inBase.containsKey("base-files");
        Map<String, LockedPackage> byName = new HashMap<>();
        fresh.forEach(p -> byName.put(p.name(), p));

        List<String> names = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        List<List<Component>> installed = new ArrayList<>();
        for (OsLayerPlan.Group group : plan.groups()) {
            names.add(group.name());
            keys.add(packageLayerKey(group, byName, baseFiles));
            installed.add(group.packages().stream().map(components::remove).toList());
        }
        names.add(RootfsAssembler.SYSTEM_LAYER);
        keys.add(systemKey(os, lock, resolution.base()));
        // Packages already in the base image are listed with the layer above it.
        installed.add(List.copyOf(components.values()));

        List<Optional<LayerCache.Blob>> hits = new ArrayList<>();
        for (String key : keys) {
            hits.add(context.cache().lookupLayer(key));
        }
        List<Built> built = new ArrayList<>();
        if (hits.stream().allMatch(Optional::isPresent)) {
            for (int i = 0; i < keys.size(); i++) {
                built.add(new Built(names.get(i), keys.get(i), hits.get(i).get(), CacheOutcome.HIT, installed.get(i)));
            }
            return built;
        }
        long missing = hits.stream().filter(Optional::isEmpty).count();
        context.log()
                .info("Installing " + lock.packages().size() + " Debian packages from "
                        + spec.lockFile().getFileName() + " for " + missing + " of " + keys.size() + " layers");
        long downloadStart = System.nanoTime();
        List<Path> debs = Resolver.archive(context, os.debian()).download(lock.packages());
        context.log().info("Packages ready in " + ImageBuilder.millisSince(downloadStart) + " ms");
        Map<Path, String> verified = new HashMap<>();
        for (int i = 0; i < debs.size(); i++) {
            verified.put(debs.get(i), lock.packages().get(i).sha256()); // download checked each against the lock
        }
        RootfsAssembler.Builder assembler = RootfsAssembler.builder().verifiedDigests(verified);
        List<Optional<LayerCache.Blob>> indexes = new ArrayList<>();
        for (int i = 0; i < plan.groups().size(); i++) {
            Optional<LayerCache.Blob> index = context.cache().lookup(indexKey(keys.get(i)));
            indexes.add(index);
            if (hits.get(i).isPresent() && index.isPresent()) {
                // The layer's files are its packages' files: take them from it instead of decompressing.
                assembler.reusing(hits.get(i).get().path(), index.get().path());
            } else if (hits.get(i).isEmpty()) {
                // Its package set changed: the unchanged packages are in the version written before.
                Optional<Previous> previous = previous(context.cache(), names.get(i));
                if (previous.isPresent()) {
                    assembler.reusing(
                            previous.get().layer().path(),
                            previous.get().index().path());
                }
            }
        }
        assembler
                .packages(debs)
                .base(resolution.baseSystem())
                .mtime(spec.creationTime())
                .accounts(os.accounts())
                .groups(os.groups())
                .extraCaCertificates(os.caCertificates())
                .aptSources(AptSources.of(os.debian()))
                .log(context.log());
        try (RootfsAssembler.Assembled assembled = assembler.build().assemble(plan)) {
            if (!assembled.layers().equals(names)) {
                throw new IllegalStateException(
                        "the assembly made layers " + assembled.layers() + ", the plan " + names);
            }
            long writeStart = System.nanoTime();
            List<LayerCache.Blob> blobs = write(context, assembled, keys, hits);
            for (int i = 0; i < keys.size(); i++) {
                built.add(new Built(
                        names.get(i),
                        keys.get(i),
                        blobs.get(i),
                        hits.get(i).isPresent() ? CacheOutcome.HIT : CacheOutcome.MISS,
                        installed.get(i)));
            }
            for (int i = 0; i < indexes.size(); i++) {
                if (indexes.get(i).isEmpty()) {
                    byte[] index = assembled.index(i);
                    LayerCache.Blob stored = context.cache().store(indexKey(keys.get(i)), out -> out.write(index));
                    byte[] note =
                            (blobs.get(i).digest() + "\n" + stored.digest() + "\n").getBytes(StandardCharsets.UTF_8);
                    context.cache().store(previousKey(names.get(i)), out -> out.write(note));
                }
            }
            context.log()
                    .info("Wrote " + missing + " Debian layers in " + ImageBuilder.millisSince(writeStart) + " ms");
        }
        return built;
    }

    /** The missing layers written into the cache side by side (hashing them is most of the time), the rest as found. */
    private static List<LayerCache.Blob> write(
            BuildContext context,
            RootfsAssembler.Assembled assembled,
            List<String> keys,
            List<Optional<LayerCache.Blob>> hits)
            throws IOException {
        ExecutorService writers = Executors.newFixedThreadPool(
                Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), MAX_WRITERS)), runnable -> {
                    Thread thread = new Thread(runnable, "debian-layer-writer");
                    thread.setDaemon(true);
                    return thread;
                });
        try {
            List<Future<LayerCache.Blob>> writing = new ArrayList<>();
            for (int i = 0; i < keys.size(); i++) {
                int layer = i;
                writing.add(
                        hits.get(i).isPresent()
                                ? CompletableFuture.completedFuture(hits.get(i).get())
                                : writers.submit(() -> context.cache()
                                        .storeLayer(keys.get(layer), out -> assembled.write(layer, out))));
            }
            List<LayerCache.Blob> blobs = new ArrayList<>();
            for (Future<LayerCache.Blob> blob : writing) {
                blobs.add(Futures.await(blob, "writing the Debian layers"));
            }
            return blobs;
        } finally {
            writers.shutdownNow();
        }
    }

    /** Where the index of what a package layer's packages ship is kept, beside the layer (never shared). */
    private static String indexKey(String layerKey) {
        return "shipped2-" + layerKey;
    }

    /**
     * Where the layer last written under this name and its index are noted, in one entry so the
     * two always belong together: a layer whose package set changed takes its unchanged packages
     * from there.
     */
    private static String previousKey(String layerName) {
        return "shipped2-last-" + layerName;
    }

    /** A package layer written by an earlier build and the index of what its packages ship. */
    private record Previous(LayerCache.Blob layer, LayerCache.Blob index) {}

    /** The layer last written under {@code name} and its index, if both are still in the cache. */
    private static Optional<Previous> previous(LayerCache cache, String name) throws IOException {
        Optional<LayerCache.Blob> note = cache.lookup(previousKey(name));
        if (note.isEmpty()) {
            return Optional.empty();
        }
        String[] digests =
                Files.readString(note.get().path(), StandardCharsets.UTF_8).split("\n");
        if (digests.length != 2 || !isDigest(digests[0]) || !isDigest(digests[1])) {
            return Optional.empty();
        }
        Optional<LayerCache.Blob> layer = cache.blob(digests[0]);
        Optional<LayerCache.Blob> index = cache.blob(digests[1]);
        return layer.isPresent() && index.isPresent()
                ? Optional.of(new Previous(layer.get(), index.get()))
                : Optional.empty();
    }

    /** {@code sha256:<64 hex>}, as {@link LayerCache#lookup} accepts a key's digest. */
    private static boolean isDigest(String digest) {
        return digest.startsWith("sha256:") && KeyDigest.isSha256Hex(digest.substring("sha256:".length()));
    }

    /** What a package layer holds depends on its packages, merged-/usr's aliases and the timestamp only. */
    private String packageLayerKey(OsLayerPlan.Group group, Map<String, LockedPackage> byName, boolean baseFiles) {
        KeyDigest key = new KeyDigest(FORMAT + " packages");
        key.line("mtime " + spec.creationTime().getEpochSecond());
        key.line("base-files-aliases " + baseFiles);
        for (String name : group.packages()) {
            LockedPackage p = byName.get(name);
            key.line("deb " + p.name() + " " + p.version() + " " + p.architecture() + " " + p.sha256());
        }
        return key.hex();
    }

    private String systemKey(OsPackages os, DebianLock lock, BaseLayers base) throws IOException {
        KeyDigest key = new KeyDigest(FORMAT + " system");
        key.line("mtime " + spec.creationTime().getEpochSecond());
        base.layers().forEach(layer -> key.line("base " + layer.digest()));
        DebianSpec debian = os.debian();
        key.line("apt " + debian.archive() + " " + debian.securityArchive() + " " + debian.suite() + " "
                + debian.components());
        for (LockedPackage p : lock.packages()) {
            key.line("deb " + p.name() + " " + p.version() + " " + p.architecture() + " " + p.sha256());
        }
        for (Account account : os.accounts()) {
            key.line("account " + account);
        }
        for (Group group : os.groups()) {
            key.line("group " + group);
        }
        for (Path ca : os.caCertificates()) {
            try (InputStream in = Files.newInputStream(ca)) {
                key.line("ca " + ca.getFileName() + " "
                        + HexFormat.of().formatHex(KeyDigest.sha256().digest(in.readAllBytes())));
            }
        }
        return key.hex();
    }
}
