package ai.molecule.core;

import static org.assertj.core.api.Assertions.assertThat;

import ai.molecule.testing.RecordingLog;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LayerCacheTest {
    private static final String KEY = "a".repeat(64);

    @TempDir
    Path root;

    private final RecordingLog log = new RecordingLog();

    @Test
    void storedLayerIsFoundUnderItsKeyAndNamedByItsHash() throws IOException {
        LayerCache cache = new LayerCache(root, log);

        LayerCache.Blob stored = cache.store(KEY, out -> out.write("layer".getBytes(StandardCharsets.UTF_8)));

        assertThat(stored.digest()).isEqualTo("sha256:" + LayerCache.sha256(stored.path()));
        assertThat(new LayerCache(root, log).lookup(KEY)).contains(stored);
        assertThat(cache.lookup("b".repeat(64))).isEmpty();
    }

    @Test
    void aLayerMissingHereIsAskedOfTheSharedTierAndEveryBuiltLayerIsOffered() throws IOException {
        String elsewhere = "b".repeat(64);
        List<String> asked = new ArrayList<>();
        List<String> offered = new ArrayList<>();
        SharedLayers tier = new SharedLayers() {
            @Override
            public Optional<LayerCache.Blob> fetch(String key, LayerCache cache) throws IOException {
                asked.add(key);
                if (!key.equals(elsewhere)) {
                    return Optional.empty();
                }
                LayerCache.Blob blob = cache.storeBlob(out -> out.write("shared".getBytes(StandardCharsets.UTF_8)));
                cache.record(key, blob);
                return Optional.of(blob);
            }

            @Override
            public void offer(String key, LayerCache.Blob layer, LayerCache cache) {
                offered.add(key + " " + layer.digest());
            }

            @Override
            public void finish() {}
        };
        LayerCache cache = new LayerCache(root, log, tier);

        assertThat(cache.lookupLayer(KEY)).isEmpty();
        LayerCache.Blob built = cache.storeLayer(KEY, out -> out.write("built".getBytes(StandardCharsets.UTF_8)));
        assertThat(offered).containsExactly(KEY + " " + built.digest());
        assertThat(cache.lookupLayer(KEY)).contains(built);
        assertThat(asked).as("a local hit asks nothing of the tier").containsExactly(KEY);
        assertThat(offered)
                .as("but offers it the layer")
                .containsExactly(KEY + " " + built.digest(), KEY + " " + built.digest());

        LayerCache.Blob fetched = cache.lookupLayer(elsewhere).orElseThrow();
        assertThat(Files.readString(fetched.path())).isEqualTo("shared");
        assertThat(new LayerCache(root, log).lookup(elsewhere))
                .as("a fetched layer is recorded here")
                .contains(fetched);

        cache.store("sbom-" + KEY, out -> out.write(1));
        assertThat(cache.lookup("c".repeat(64))).isEmpty();
        assertThat(asked).as("documents and plain lookups stay local").containsExactly(KEY, elsewhere);
        assertThat(offered).as("nor offered what it fetched").hasSize(2);
    }

    @Test
    void buildsCompressingOneLayerAtOnceGetTheSameGzip() throws Exception {
        byte[] content = "layer bytes ".repeat(200_000).getBytes(StandardCharsets.UTF_8);
        LayerCache cache = new LayerCache(root, log);
        LayerCache.Blob layer = cache.store(KEY, out -> out.write(content));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<LayerCache.Blob>> gzips = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                gzips.add(pool.submit(() -> cache.gzipped(layer)));
            }
            LayerCache.Blob first = gzips.get(0).get();
            for (Future<LayerCache.Blob> gzip : gzips) {
                assertThat(gzip.get()).isEqualTo(first);
            }
            try (InputStream in = new GZIPInputStream(Files.newInputStream(first.path()))) {
                assertThat(in.readAllBytes()).isEqualTo(content);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aLayerIsGzippedOnceToTheSameBytesInEveryCache() throws IOException {
        byte[] content = "layer bytes ".repeat(10_000).getBytes(StandardCharsets.UTF_8);
        LayerCache first = new LayerCache(root.resolve("a"), log);
        LayerCache second = new LayerCache(root.resolve("b"), log);
        LayerCache.Blob gzip = first.gzipped(first.store(KEY, out -> out.write(content)));
        LayerCache.Blob again = second.gzipped(second.store(KEY, out -> out.write(content)));

        assertThat(again.digest()).isEqualTo(gzip.digest());
        assertThat(gzip.size()).isLessThan(content.length);
        try (InputStream in = new GZIPInputStream(Files.newInputStream(gzip.path()))) {
            assertThat(in.readAllBytes()).isEqualTo(content);
        }
        // Kept under the layer's digest: the next push takes it from there instead of compressing again.
        LayerCache.Blob layer = first.lookup(KEY).orElseThrow();
        assertThat(first.lookup("gzip-" + layer.hex()).map(LayerCache.Blob::path))
                .contains(gzip.path());
        assertThat(first.gzipped(layer)).isEqualTo(gzip);
    }

    @Test
    void corruptBlobIsDetectedRemovedAndReportedAsMiss() throws IOException {
        LayerCache.Blob stored =
                new LayerCache(root, log).store(KEY, out -> out.write("layer bytes".getBytes(StandardCharsets.UTF_8)));
        try (RandomAccessFile file = new RandomAccessFile(stored.path().toFile(), "rw")) {
            file.seek(3);
            file.write('X');
        }

        Optional<LayerCache.Blob> found = new LayerCache(root, log).lookup(KEY);

        assertThat(found).isEmpty();
        assertThat(stored.path()).doesNotExist();
        assertThat(log.warnings)
                .singleElement()
                .asString()
                .contains("is corrupt")
                .contains(stored.hex());
    }

    @Test
    void aBlobUntouchedSinceItsHashWasCheckedIsNotReadAgain() throws IOException {
        LayerCache.Blob stored =
                new LayerCache(root, log).store(KEY, out -> out.write("layer bytes".getBytes(StandardCharsets.UTF_8)));
        age(stored.path());
        assertThat(new LayerCache(root, log).lookup(KEY)).contains(stored); // re-hashed once, stamped
        // Same size, same mtime, same inode: the stamp vouches and the bytes are not read. This is
        // the documented limit (as git's index): only a change that leaves all three alone slips by.
        FileTime mtime = Files.getLastModifiedTime(stored.path());
        try (RandomAccessFile file = new RandomAccessFile(stored.path().toFile(), "rw")) {
            file.write('X');
        }
        Files.setLastModifiedTime(stored.path(), mtime);

        assertThat(new LayerCache(root, log).lookup(KEY)).contains(stored);
        assertThat(log.warnings).isEmpty();
    }

    @Test
    void aBlobChangedAfterItsStampIsHashedAgainAndCaught() throws IOException {
        LayerCache.Blob stored =
                new LayerCache(root, log).store(KEY, out -> out.write("layer bytes".getBytes(StandardCharsets.UTF_8)));
        age(stored.path());
        assertThat(new LayerCache(root, log).lookup(KEY)).contains(stored);
        try (RandomAccessFile file = new RandomAccessFile(stored.path().toFile(), "rw")) {
            file.write('X');
        }
        Files.setLastModifiedTime(stored.path(), FileTime.fromMillis(0)); // any mtime but the stamped one

        assertThat(new LayerCache(root, log).lookup(KEY)).isEmpty();
        assertThat(log.warnings).singleElement().asString().contains("is corrupt");
    }

    /** Moves a blob's mtime an hour back, out of the window in which a stamp is not trusted. */
    private static void age(Path blob) throws IOException {
        Files.setLastModifiedTime(
                blob, FileTime.fromMillis(Files.getLastModifiedTime(blob).toMillis() - 3_600_000));
    }

    @Test
    void truncatedBlobIsDetected() throws IOException {
        LayerCache.Blob stored = new LayerCache(root, log).store(KEY, out -> out.write(new byte[4096]));
        try (RandomAccessFile file = new RandomAccessFile(stored.path().toFile(), "rw")) {
            file.setLength(100);
        }

        assertThat(new LayerCache(root, log).lookup(KEY)).isEmpty();
        assertThat(log.warnings).singleElement().asString().contains("is corrupt");
    }

    @Test
    void unreadableKeyFileIsAMissWithWarning() throws IOException {
        LayerCache cache = new LayerCache(root, log);
        Files.writeString(root.resolve("keys").resolve(KEY + ".json"), "{\"digest\": tru");

        assertThat(cache.lookup(KEY)).isEmpty();
        assertThat(log.warnings).singleElement().asString().contains("unreadable");
        assertThat(root.resolve("keys").resolve(KEY + ".json")).doesNotExist();
    }

    @Test
    void concurrentWritersOfOneKeyLeaveOneIntactEntry() throws Exception {
        byte[] content = new byte[8 * 1024 * 1024];
        new java.util.Random(7).nextBytes(content);
        int writers = 4;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        List<Future<LayerCache.Blob>> results = new ArrayList<>();
        try {
            for (int i = 0; i < writers; i++) {
                Callable<LayerCache.Blob> write = () -> {
                    LayerCache cache = new LayerCache(root, log);
                    start.await();
                    return cache.store(KEY, out -> {
                        for (int off = 0; off < content.length; off += 65536) {
                            out.write(content, off, 65536);
                            Thread.yield();
                        }
                    });
                };
                results.add(pool.submit(write));
            }
            start.countDown();
            for (Future<LayerCache.Blob> result : results) {
                assertThat(result.get().size()).isEqualTo(content.length);
            }
        } finally {
            pool.shutdownNow();
        }

        LayerCache fresh = new LayerCache(root, new RecordingLog());
        assertThat(fresh.lookup(KEY)).isPresent();
        assertThat(Files.readAllBytes(fresh.lookup(KEY).orElseThrow().path())).isEqualTo(content);
        try (Stream<Path> leftovers = Files.list(root.resolve("tmp"))) {
            assertThat(leftovers).isEmpty();
        }
        assertThat(log.warnings).isEmpty();
    }
}
