package ai.molecule.core;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * A content-addressed store shared by every build on the machine.
 *
 * <pre>
 * blobs/sha256/&lt;hex&gt;   uncompressed layer tars (and later downloads), named by their own SHA-256
 * keys/&lt;key&gt;.json      layer cache key → {"digest": "sha256:…", "size": n}
 * tmp/                     files being written; moved into place with an atomic rename
 * verified/&lt;hex&gt;        size, mtime and inode of a blob when its hash was last checked
 * </pre>
 *
 * A blob is re-hashed before a build uses it unless its size, mtime and inode still match the
 * stamp written when its hash was last checked (as git trusts its index): a corrupt, truncated or
 * replaced entry is detected, removed with a warning and rebuilt, while an untouched 750 MB layer
 * costs no read. A stamp is trusted only when the blob's mtime lies well before the stamp was
 * written, so a change within the file system's timestamp granularity is still caught. Writers
 * never touch a final path until their file is complete, so two builds sharing the cache at once
 * cannot corrupt it.
 *
 * <p>Layers (as opposed to downloads, pointers and documents) go through {@link #lookupLayer} and
 * {@link #storeLayer}, which also consult and feed a {@link SharedLayers} tier when one is set.
 */
public final class LayerCache {

    private final Path blobs;
    private final Path keys;
    private final Path tmp;
    private final Path stamps;
    private final BuildLog log;
    private final Set<String> verified = ConcurrentHashMap.newKeySet();
    private final Map<String, CompletableFuture<Blob>> compressing = new ConcurrentHashMap<>();
    private final SharedLayers shared;

    public LayerCache(Path root, BuildLog log) throws IOException {
        this(root, log, SharedLayers.NONE);
    }

    /** @param shared where a layer missing here may be fetched from, and built layers go */
    public LayerCache(Path root, BuildLog log, SharedLayers shared) throws IOException {
        this.shared = shared;
        this.blobs = root.resolve("blobs").resolve("sha256");
        this.keys = root.resolve("keys");
        this.tmp = root.resolve("tmp");
        this.stamps = root.resolve("verified");
        this.log = log;
        Files.createDirectories(blobs);
        Files.createDirectories(keys);
        Files.createDirectories(tmp);
        Files.createDirectories(stamps);
    }

    /** {@code $XDG_CACHE_HOME/molecule}, else {@code ~/.cache/molecule}. */
    public static Path defaultRoot() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("molecule");
    }

    /** A verified blob: {@code digest} is {@code sha256:<hex>} of the bytes at {@code path}. */
    public record Blob(String digest, long size, Path path) {
        public String hex() {
            return digest.substring("sha256:".length());
        }
    }

    /** Writes bytes to a stream; the cache hashes them on the way. */
    @FunctionalInterface
    public interface Writer {
        void writeTo(OutputStream out) throws IOException;
    }

    /** The blob stored under a layer key, or empty on a miss or a corrupt entry. */
    public Optional<Blob> lookup(String key) throws IOException {
        Path keyFile = keys.resolve(key + ".json");
        if (!Files.exists(keyFile)) {
            return Optional.empty();
        }
        String digest;
        try {
            JsonNode node = Json.read(keyFile);
            digest = node.path("digest").asText("");
        } catch (IOException e) {
            digest = "";
        }
        if (!digest.startsWith("sha256:") || !KeyDigest.isSha256Hex(digest.substring("sha256:".length()))) {
            log.warn("Layer cache entry " + keyFile + " is unreadable; rebuilding the layer");
            Files.deleteIfExists(keyFile);
            return Optional.empty();
        }
        Optional<Blob> blob = blob(digest);
        if (blob.isEmpty()) {
            Files.deleteIfExists(keyFile);
        }
        return blob;
    }

    /**
     * The layer stored under {@code key}: from this cache (and offered to the shared tier, which may
     * not have it yet), else from the shared tier, else empty.
     */
    public Optional<Blob> lookupLayer(String key) throws IOException {
        Optional<Blob> local = lookup(key);
        if (local.isPresent()) {
            shared.offer(key, local.get(), this);
            return local;
        }
        return shared.fetch(key, this);
    }

    /** Builds a layer with {@code writer}, records it under {@code key} and offers it to the shared tier. */
    public Blob storeLayer(String key, Writer writer) throws IOException {
        Blob blob = store(key, writer);
        shared.offer(key, blob, this);
        return blob;
    }

    /** Waits for the shared tier to take what this cache offered it. */
    public void finishSharing() {
        shared.finish();
    }

    /** Builds a blob with {@code writer} and records it under {@code key}. */
    public Blob store(String key, Writer writer) throws IOException {
        Blob blob = storeBlob(writer);
        record(key, blob);
        return blob;
    }

    /** Records {@code blob}, already in this cache, under {@code key}. */
    public void record(String key, Blob blob) throws IOException {
        Path keyTmp = tmp.resolve(UUID.randomUUID() + ".json");
        String json = "{\"digest\":\"" + blob.digest() + "\",\"size\":" + blob.size() + "}\n";
        Files.writeString(keyTmp, json, StandardCharsets.UTF_8);
        moveIntoPlace(keyTmp, keys.resolve(key + ".json"));
    }

    /**
     * The gzip of {@code blob} as a registry receives it: compressed once (fastest level; a fixed
     * header, so the same layer always gives the same compressed digest) and kept under the
     * layer's digest, so no later push compresses it again. Callers asking for the same layer at
     * once share one compression.
     */
    public Blob gzipped(Blob blob) throws IOException {
        String key = gzipKey(blob);
        Optional<Blob> hit = lookup(key);
        if (hit.isPresent()) {
            return hit.get();
        }
        CompletableFuture<Blob> mine = new CompletableFuture<>();
        CompletableFuture<Blob> running = compressing.putIfAbsent(key, mine);
        if (running != null) {
            try {
                return running.join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
            }
        }
        try {
            Blob gzip = compress(key, blob);
            mine.complete(gzip);
            return gzip;
        } catch (IOException | RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            compressing.remove(key);
        }
    }

    /** The key the gzip of {@code layer} is recorded under. */
    public static String gzipKey(Blob layer) {
        return "gzip-" + layer.hex();
    }

    private Blob compress(String key, Blob blob) throws IOException {
        return store(key, out -> {
            GZIPOutputStream gzip = new GZIPOutputStream(out, 1 << 16) {
                {
                    def.setLevel(Deflater.BEST_SPEED);
                }
            };
            try (InputStream in = Files.newInputStream(blob.path())) {
                in.transferTo(gzip);
            }
            gzip.finish();
        });
    }

    /** Stores bytes under their own SHA-256 (base image layers, downloads). */
    public Blob storeBlob(Writer writer) throws IOException {
        Path file = tmp.resolve(UUID.randomUUID() + ".part");
        MessageDigest sha = KeyDigest.sha256();
        try {
            try (OutputStream out =
                    new DigestOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 18), sha)) {
                writer.writeTo(out);
            }
            String hex = HexFormat.of().formatHex(sha.digest());
            Path target = blobs.resolve(hex);
            long size = Files.size(file);
            moveIntoPlace(file, target);
            verified.add(hex);
            stamp(hex, target);
            return new Blob("sha256:" + hex, size, target);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** The blob with this digest after re-hashing it, or empty if absent or corrupt (then removed). */
    public Optional<Blob> blob(String digest) throws IOException {
        String hex = digest.substring("sha256:".length());
        Path path = blobs.resolve(hex);
        if (!Files.isRegularFile(path)) {
            return Optional.empty();
        }
        if (!verified.contains(hex) && !stampMatches(hex, path)) {
            String actual = sha256(path);
            if (!actual.equals(hex)) {
                log.warn("Layer cache blob " + path + " is corrupt (its SHA-256 is " + actual
                        + "); removing it and rebuilding the layer");
                Files.deleteIfExists(stamps.resolve(hex));
                Files.deleteIfExists(path);
                return Optional.empty();
            }
            stamp(hex, path);
        }
        verified.add(hex);
        return Optional.of(new Blob(digest, Files.size(path), path));
    }

    /** Removes a blob this cache holds (one that turned out not to be what it was fetched as). */
    public void remove(Blob blob) throws IOException {
        verified.remove(blob.hex());
        Files.deleteIfExists(stamps.resolve(blob.hex()));
        Files.deleteIfExists(blob.path());
    }

    /** How long before a stamp a blob's mtime must lie for the stamp to vouch for it. */
    private static final long RACY_MILLIS = 2_000;

    private static String identity(Path path) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
        return attributes.size() + " " + attributes.lastModifiedTime().to(TimeUnit.NANOSECONDS) + " "
                + attributes.fileKey();
    }

    /** Records that the blob at {@code path} had hash {@code hex} now, as it is now. */
    private void stamp(String hex, Path path) throws IOException {
        Path part = tmp.resolve(UUID.randomUUID() + ".stamp");
        Files.writeString(part, System.currentTimeMillis() + "\n" + identity(path) + "\n", StandardCharsets.UTF_8);
        moveIntoPlace(part, stamps.resolve(hex));
    }

    private boolean stampMatches(String hex, Path path) throws IOException {
        Path stamp = stamps.resolve(hex);
        if (!Files.isRegularFile(stamp)) {
            return false;
        }
        List<String> lines = Files.readAllLines(stamp, StandardCharsets.UTF_8);
        if (lines.size() != 2 || !lines.get(0).matches("\\d+") || !lines.get(1).equals(identity(path))) {
            return false;
        }
        long mtime = Files.getLastModifiedTime(path).toMillis();
        return mtime < Long.parseLong(lines.get(0)) - RACY_MILLIS;
    }

    public static String sha256(Path path) throws IOException {
        MessageDigest sha = KeyDigest.sha256();
        try (InputStream in = Files.newInputStream(path)) {
            byte[] buffer = new byte[256 * 1024];
            for (int n; (n = in.read(buffer)) > 0; ) {
                sha.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static void moveIntoPlace(Path source, Path target) throws IOException {
        try {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the layer cache needs a file system with atomic rename: " + target, e);
        }
    }
}
