package ai.molecule.build;

import ai.molecule.core.BuildLog;
import ai.molecule.core.Json;
import ai.molecule.core.KeyDigest;
import ai.molecule.core.LayerCache;
import ai.molecule.core.SharedLayers;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPInputStream;
import land.oras.ContainerRef;
import land.oras.exception.OrasException;

/**
 * The layer cache shared through a registry repository, as kaniko's {@code --cache-repo} or
 * BuildKit's registry cache: each layer a build makes is pushed there under its content key (the
 * tag), as an OCI artifact whose one blob is the gzipped layer the image push sends anyway and
 * whose annotation names the layer's diff ID; a build that misses a key locally pulls the layer from
 * there instead of building it. What it pulls is checked twice, the compressed bytes against the
 * manifest's digest and the layer against the diff ID, and refused (then built here) when either
 * differs. A repository that cannot be reached, or refuses the credentials,
 * costs one warning: the build goes on without it.
 */
public final class CacheRepository implements SharedLayers {
    static final String ARTIFACT_TYPE = "application/vnd.molecule.layer.v1";
    static final String DIFF_ID = "ai.molecule.layer.diff-id";
    static final String KEY = "ai.molecule.layer.key";

    private final String repository;
    private final ContainerRef ref;
    private final RegistryClient registry;
    private final BuildLog log;
    /** One upload at a time, beside the build; started by the first offer, ended by {@link #finish}. */
    private ExecutorService uploads;

    private final List<Future<Boolean>> offered = new ArrayList<>();
    /** Keys whose entry this build refused: replaced when shared, whatever the entry says. */
    private final Set<String> refused = ConcurrentHashMap.newKeySet();

    private final AtomicLong uploaded = new AtomicLong();
    private volatile boolean unusable;

    /** @param repository {@code host[:port]/name}, no tag */
    public CacheRepository(String repository, RegistryAccess access, BuildLog log) {
        this.repository = repository;
        this.ref = ContainerRef.parse(repository);
        this.registry = new RegistryClient(ref.getRegistry(), access);
        this.log = log;
    }

    public String repository() {
        return repository;
    }

    @Override
    public Optional<LayerCache.Blob> fetch(String key, LayerCache cache) throws IOException {
        if (unusable) {
            return Optional.empty();
        }
        long start = System.nanoTime();
        JsonNode layer;
        try {
            Optional<JsonNode> manifest = registry.manifest(ref.withTag(key));
            if (manifest.isEmpty()) {
                log.info("Layer " + key.substring(0, 12) + " is not in " + repository + " yet; building it");
                return Optional.empty();
            }
            layer = manifest.get().path("layers").path(0);
        } catch (RuntimeException e) {
            giveUp(e);
            return Optional.empty();
        }
        String gzipDigest = layer.path("digest").asText("");
        String diffId = layer.path("annotations").path(DIFF_ID).asText("");
        if (!isDigest(gzipDigest) || !isDigest(diffId)) {
            return refuse(key, "its manifest names no layer digest and diff ID", null, cache);
        }
        LayerCache.Blob gzip;
        try {
            gzip = cache.storeBlob(out -> {
                try (InputStream in = registry.open(ref, gzipDigest)) {
                    in.transferTo(out);
                }
            });
        } catch (IOException | RuntimeException e) {
            giveUp(e);
            return Optional.empty();
        }
        if (!gzip.digest().equals(gzipDigest)) {
            return refuse(
                    key,
                    "it served bytes whose SHA-256 is " + gzip.digest() + ", not the " + gzipDigest
                            + " its manifest names",
                    gzipDigest,
                    cache,
                    gzip);
        }
        LayerCache.Blob unpacked;
        try {
            unpacked = cache.storeBlob(out -> {
                try (InputStream in = new GZIPInputStream(Files.newInputStream(gzip.path()), 1 << 16)) {
                    in.transferTo(out);
                }
            });
        } catch (IOException e) {
            return refuse(key, "its layer does not decompress (" + e.getMessage() + ")", null, cache, gzip);
        }
        if (!unpacked.digest().equals(diffId)) {
            return refuse(
                    key,
                    "its layer's diff ID is " + unpacked.digest() + ", not the " + diffId + " it claims",
                    null,
                    cache,
                    gzip,
                    unpacked);
        }
        cache.record(LayerCache.gzipKey(unpacked), gzip);
        cache.record(key, unpacked);
        log.info("Layer " + key.substring(0, 12) + " fetched from " + repository + " (" + Sizes.of(gzip.size()) + " in "
                + ImageBuilder.millisSince(start) + " ms)");
        return Optional.of(unpacked);
    }

    @Override
    public void offer(String key, LayerCache.Blob layer, LayerCache cache) {
        if (unusable) {
            return;
        }
        synchronized (offered) {
            if (uploads == null) {
                uploads = Executors.newSingleThreadExecutor(runnable -> {
                    Thread thread = new Thread(runnable, "molecule-cache-repository");
                    thread.setDaemon(true);
                    return thread;
                });
            }
            offered.add(uploads.submit(() -> share(key, layer, cache)));
        }
    }

    /** Stores the layer under its key unless the repository has that entry; whether it stored it. */
    private boolean share(String key, LayerCache.Blob layer, LayerCache cache) throws IOException {
        if (unusable) {
            return false;
        }
        Optional<JsonNode> entry = refused.contains(key) ? Optional.empty() : registry.manifest(ref.withTag(key));
        if (entry.isPresent()
                && entry.get()
                        .path("layers")
                        .path(0)
                        .path("annotations")
                        .path(DIFF_ID)
                        .asText()
                        .equals(layer.digest())) {
            return false;
        }
        LayerCache.Blob gzip = cache.gzipped(layer);
        uploaded.addAndGet(registry.send(ref, gzip, "layer ", null, BuildLog.SILENT));
        registry.send(ref, RegistryClient.EMPTY);
        registry.putManifest(ref.withTag(key), manifest(key, layer, gzip));
        return true;
    }

    /** The cache entry: an artifact of the gzipped layer, annotated with what it unpacks to. */
    static byte[] manifest(String key, LayerCache.Blob layer, LayerCache.Blob gzip) {
        ObjectNode descriptor = RegistryClient.descriptor(RegistryClient.LAYER_TYPE, gzip.digest(), gzip.size());
        descriptor.putObject("annotations").put(DIFF_ID, layer.digest());
        ObjectNode manifest = RegistryClient.artifact(ARTIFACT_TYPE, descriptor);
        manifest.putObject("annotations").put(KEY, key);
        return Json.bytes(manifest);
    }

    @Override
    public void finish() {
        List<Future<Boolean>> pending;
        synchronized (offered) {
            pending = List.copyOf(offered);
            offered.clear();
            if (uploads != null) {
                uploads.shutdown(); // runs what was submitted, then its thread ends
                uploads = null;
            }
        }
        int shared = 0;
        for (Future<Boolean> upload : pending) {
            try {
                shared += upload.get() ? 1 : 0;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (ExecutionException e) {
                giveUp(e.getCause());
            }
        }
        if (shared > 0 && !unusable) {
            log.info("Shared " + shared + " layer" + (shared == 1 ? "" : "s") + " through " + repository + " ("
                    + Sizes.of(uploaded.getAndSet(0)) + " uploaded)");
        }
    }

    /**
     * Refuses an entry: warns and drops what was fetched of it. A wrong entry is replaced when the
     * rebuilt layer is shared; a blob the registry holds corrupt ({@code corruptBlob}) is not, as a
     * registry keeps the first bytes stored under a digest (distribution skips an upload of a digest
     * it has), so the warning says how to repair the registry.
     */
    private Optional<LayerCache.Blob> refuse(
            String key, String why, String corruptBlob, LayerCache cache, LayerCache.Blob... fetched)
            throws IOException {
        log.warn("Refused layer " + key.substring(0, 12) + " from the shared cache " + repository + ": " + why
                + "; building it here"
                + (corruptBlob == null
                        ? " and replacing the entry"
                        : ". The registry's copy of " + corruptBlob + " is corrupt: delete it from the registry's"
                                + " storage (then garbage-collect) to repair the shared cache"));
        refused.add(key);
        for (LayerCache.Blob blob : fetched) {
            cache.remove(blob);
        }
        return Optional.empty();
    }

    /** The first failure to talk to the repository turns it off for the rest of the build. */
    private void giveUp(Throwable failure) {
        if (unusable) {
            return;
        }
        unusable = true;
        String why = failure instanceof OrasException oras
                ? registry.why(oras, repository)
                : registry.redact(String.valueOf(failure.getMessage()));
        log.warn("The shared layer cache " + repository + " cannot be used (" + registry.credentialSource() + "): "
                + why + ". Building without it");
    }

    private static boolean isDigest(String digest) {
        return digest.startsWith("sha256:") && KeyDigest.isSha256Hex(digest.substring("sha256:".length()));
    }
}
