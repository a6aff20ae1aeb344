package ai.molecule.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The watch loop's view of a template directory, on the real file system. */
@Timeout(30)
class SourceWatcherTest {

    @Test
    void reportsTheChangedFilesOnceAndIgnoresTheBuildOutput(@TempDir Path root) throws Exception {
        Path app = Files.createDirectories(root.resolve("src/main/image/app"));
        Files.writeString(app.resolve("adapter.py"), "one\n");
        Files.createDirectories(root.resolve("target/molecule"));
        try (SourceWatcher watcher = new SourceWatcher(root, Duration.ofMillis(50))) {
            Files.writeString(root.resolve("target/molecule/build-report.json"), "{}");
            Files.writeString(app.resolve(".adapter.py.swp"), "swap");
            Files.writeString(app.resolve("adapter.py"), "two\n");
            Files.writeString(app.resolve("adapter.py"), "three\n");
            assertThat(watcher.next()).containsExactly(Path.of("src/main/image/app/adapter.py"));
        }
    }

    @Test
    void watchesDirectoriesCreatedAfterItStarted(@TempDir Path root) throws Exception {
        try (SourceWatcher watcher = new SourceWatcher(root, Duration.ofMillis(50))) {
            Path hooks = Files.createDirectories(root.resolve("src/main/image/etc/molecule/entrypoint.d"));
            Set<Path> created = watcher.next();
            assertThat(created).contains(Path.of("src"));
            CompletableFuture<Set<Path>> next = CompletableFuture.supplyAsync(() -> {
                try {
                    return watcher.next();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            // The walk that registered the new tree may have seen the hook directory already; write after it.
            Thread.sleep(100);
            Files.writeString(hooks.resolve("10-hook.sh"), "echo hi\n");
            assertThat(next.get(10, TimeUnit.SECONDS))
                    .contains(Path.of("src/main/image/etc/molecule/entrypoint.d/10-hook.sh"));
        }
    }

    @Test
    void aTargetDirectoryBelowTheTopIsSourceLikeAnyOther(@TempDir Path root) throws Exception {
        Path nested = Files.createDirectories(root.resolve("src/main/image/opt/target"));
        try (SourceWatcher watcher = new SourceWatcher(root, Duration.ofMillis(50))) {
            Files.writeString(nested.resolve("file"), "x");
            assertThat(watcher.next()).containsExactly(Path.of("src/main/image/opt/target/file"));
        }
    }
}
