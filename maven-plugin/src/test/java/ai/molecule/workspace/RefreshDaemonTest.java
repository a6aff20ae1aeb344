package ai.molecule.workspace;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RefreshDaemonTest {
    private static final String PLATFORM_TOKEN = "ghs_refreshedTokenSecret987";
    private static final String WORKSPACE_AUTH = "workspace-auth-secret-daemon";

    @TempDir
    Path dir;

    private Scripts scripts;
    private PlatformStub platform;
    private Path cacheFile;
    private Path log;
    private Path ghInput;
    private Process daemon;
    private final Map<String, String> env = new HashMap<>();

    @BeforeEach
    void setUp() throws Exception {
        scripts = Scripts.install(dir);
        platform = PlatformStub.forWorkspace(dir, PLATFORM_TOKEN, WORKSPACE_AUTH, env);
        cacheFile = dir.resolve("cache/github-installation-token");
        log = dir.resolve("daemon.log");
        ghInput = dir.resolve("gh-input");
        // Records what gh was asked to do, and whether the environment token was hidden from it.
        scripts.stub("gh", "{ echo \"$* GH_TOKEN=${GH_TOKEN-hidden}\"; cat; } >> '" + ghInput + "'");
        env.put("MOLECULE_TOKEN_CACHE_DIR", cacheFile.getParent().toString());
        env.put("MOLECULE_TOKEN_REFRESH_SECONDS", "1");
        env.put("MOLECULE_TOKEN_REFRESH_JITTER_SECONDS", "0");
        env.put("GH_TOKEN", "ghp_provisionTimeSecret");
    }

    @AfterEach
    void tearDown() throws Exception {
        if (daemon != null) {
            Scripts.stop(daemon.toHandle());
        }
        platform.close();
        if (Files.exists(log)) {
            assertThat(Files.readString(log)).doesNotContain(PLATFORM_TOKEN, WORKSPACE_AUTH, "ghp_provisionTimeSecret");
        }
    }

    @Test
    void refreshesTheCachedTokenEveryIntervalAndKeepsGhLoggedIn() throws Exception {
        daemon = scripts.start(env, log, "molecule-token-refresh");

        awaitTrue(() -> platform.calls.size() >= 3);

        assertThat(Files.readString(cacheFile)).isEqualTo(PLATFORM_TOKEN);
        assertThat(Files.readString(ghInput))
                .startsWith("auth login --hostname github.com --with-token GH_TOKEN=hidden\n" + PLATFORM_TOKEN + "\n");
        assertThat(Files.readString(log)).contains("token refreshed");
    }

    @Test
    void survivesAFailingPlatformAndRefreshesOnceItIsBack() throws Exception {
        platform.failing = true;
        daemon = scripts.start(env, log, "molecule-token-refresh");
        awaitTrue(() -> platform.calls.size() >= 3);
        assertThat(daemon.isAlive()).isTrue();
        assertThat(cacheFile).doesNotExist();

        platform.failing = false;
        awaitTrue(() -> Files.exists(cacheFile));

        assertThat(daemon.isAlive()).isTrue();
        assertThat(Files.readString(cacheFile)).isEqualTo(PLATFORM_TOKEN);
        assertThat(Files.readString(log)).contains("refresh failed", "token refreshed");
    }

    private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (!condition.getAsBoolean()) {
            assertThat(Instant.now()).as("condition met within 20 s").isBefore(deadline);
            Thread.sleep(100);
        }
    }
}
