package ai.molecule.workspace;

import static ai.molecule.workspace.Scripts.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RefreshDaemonTest {
    private static final String PLATFORM_TOKEN = "ghs_refreshedTokenSecret987";
    private static final String WORKSPACE_AUTH = "workspace-auth-secret-daemon";

    @RegisterExtension
    final Scripts scripts = new Scripts();

    private PlatformStub platform;
    private Path cacheFile;
    private Path log;
    private Path ghInput;
    private Process daemon;

    @BeforeEach
    void setUp() throws Exception {
        cacheFile = scripts.dir.resolve("cache/github-installation-token");
        platform = PlatformStub.forWorkspace(scripts, PLATFORM_TOKEN, WORKSPACE_AUTH, cacheFile.getParent());
        log = scripts.dir.resolve("daemon.log");
        ghInput = scripts.dir.resolve("gh-input");
        scripts.stubRecordingGh(ghInput);
        scripts.env.put("MOLECULE_TOKEN_REFRESH_SECONDS", "1");
        scripts.env.put("MOLECULE_TOKEN_REFRESH_JITTER_SECONDS", "0");
        scripts.env.put("GH_TOKEN", "ghp_provisionTimeSecret");
    }

    /** The whole log, once the daemon has stopped, holds no secret. */
    @AfterEach
    void tearDown() throws Exception {
        if (daemon != null) {
            Scripts.stop(daemon.toHandle());
        }
        if (Files.exists(log)) {
            assertThat(Files.readString(log)).doesNotContain(PLATFORM_TOKEN, WORKSPACE_AUTH, "ghp_provisionTimeSecret");
        }
    }

    @Test
    void refreshesTheCachedTokenEveryIntervalAndKeepsGhLoggedIn() throws Exception {
        daemon = scripts.start(log, "molecule-token-refresh");

        awaitTrue(() -> platform.calls.size() >= 3);

        assertThat(Files.readString(cacheFile)).isEqualTo(PLATFORM_TOKEN);
        assertThat(Files.readString(ghInput))
                .startsWith("auth login --hostname github.com --with-token GH_TOKEN=hidden\n" + PLATFORM_TOKEN + "\n");
        assertThat(Files.readString(log)).contains("token refreshed");
    }

    @Test
    void survivesAFailingPlatformAndRefreshesOnceItIsBack() throws Exception {
        platform.failing = true;
        daemon = scripts.start(log, "molecule-token-refresh");
        awaitTrue(() -> platform.calls.size() >= 3);
        assertThat(daemon.isAlive()).isTrue();
        assertThat(cacheFile).doesNotExist();

        platform.failing = false;
        // The helper writes the cache before the daemon logs the round: wait for the log line.
        awaitTrue(() -> logContains("token refreshed"));

        assertThat(daemon.isAlive()).isTrue();
        assertThat(Files.readString(cacheFile)).isEqualTo(PLATFORM_TOKEN);
        assertThat(Files.readString(log)).contains("refresh failed", "token refreshed");
    }

    private boolean logContains(String text) {
        try {
            return Files.exists(log) && Files.readString(log).contains(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
