package ai.molecule.workspace;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class GitTokenHelperTest {
    private static final String PLATFORM_TOKEN = "ghs_platformIssuedSecret0123456789";
    private static final String WORKSPACE_AUTH = "workspace-auth-secret-4242";
    private static final String ENV_GH_TOKEN = "ghp_envGhTokenSecret000";
    private static final String ENV_GITHUB_TOKEN = "ghp_envGithubTokenSecret111";
    private static final String GIT_REQUEST = "protocol=https\nhost=github.com\npath=org/repo.git\n\n";

    @RegisterExtension
    final Scripts scripts = new Scripts();

    private PlatformStub platform;
    private Path cache;

    @BeforeEach
    void setUp() throws Exception {
        cache = scripts.dir.resolve("token-cache");
        platform = PlatformStub.forWorkspace(scripts, PLATFORM_TOKEN, WORKSPACE_AUTH, cache);
        scripts.env.put("WORKSPACE_ID", "ws-123");
    }

    @Test
    void getAnswersWithThePlatformTokenAuthenticatedAsTheWorkspace() throws Exception {
        Scripts.Result result = get();

        assertThat(result.exit()).isZero();
        assertThat(result.stdout()).isEqualTo("username=x-access-token\npassword=" + PLATFORM_TOKEN + "\n");
        assertThat(platform.calls).containsExactly(new PlatformStub.Call("Bearer " + WORKSPACE_AUTH, "ws-123"));
    }

    @Test
    void realGitFillsGithubCredentialsThroughTheHelper() throws Exception {
        scripts.env.put("GIT_CONFIG_NOSYSTEM", "1");
        Scripts.Result result = scripts.run(
                        GIT_REQUEST,
                        "/usr/bin/git",
                        "-c",
                        "credential.https://github.com.helper=" + scripts.bin.resolve("molecule-git-token-helper"),
                        "-c",
                        "credential.https://github.com.useHttpPath=true",
                        "credential",
                        "fill")
                .logsNone(PLATFORM_TOKEN, WORKSPACE_AUTH);

        assertThat(result.exit()).as(result.stderr()).isZero();
        assertThat(result.stdout())
                .isEqualTo("protocol=https\nhost=github.com\npath=org/repo.git\nusername=x-access-token\npassword="
                        + PLATFORM_TOKEN + "\n");
    }

    @Test
    void platformDownFallsBackToGhTokenThenGithubToken() throws Exception {
        platform.failing = true;
        scripts.env.put("GH_TOKEN", ENV_GH_TOKEN);
        scripts.env.put("GITHUB_TOKEN", ENV_GITHUB_TOKEN);
        assertThat(get().stdout()).isEqualTo("username=x-access-token\npassword=" + ENV_GH_TOKEN + "\n");

        scripts.env.remove("GH_TOKEN");
        assertThat(get().stdout()).isEqualTo("username=x-access-token\npassword=" + ENV_GITHUB_TOKEN + "\n");
        assertThat(cache.resolve("github-installation-token")).doesNotExist();
    }

    @Test
    void unreachablePlatformFallsBackToTheEnvironment() throws Exception {
        platform.close();
        scripts.env.put("GH_TOKEN", ENV_GH_TOKEN);

        assertThat(get().stdout()).contains("password=" + ENV_GH_TOKEN + "\n");
    }

    @Test
    void noTokenAnywhereAnswersNothingSoGitGoesOn() throws Exception {
        platform.failing = true;

        Scripts.Result result = get();

        assertThat(result.exit()).isZero();
        assertThat(result.stdout()).isEmpty();
    }

    @Test
    void cacheDirectoryIs0700AndTokenFileIs0600() throws Exception {
        get();

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cache)))
                .isEqualTo("rwx------");
        Path token = cache.resolve("github-installation-token");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(token)))
                .isEqualTo("rw-------");
        assertThat(Files.readString(token)).isEqualTo(PLATFORM_TOKEN);
    }

    @Test
    void freshCacheAnswersWithoutThePlatformAndStaleCacheAsksAgain() throws Exception {
        get();
        platform.token = "ghs_secondTokenSecret";
        assertThat(get().stdout()).contains(PLATFORM_TOKEN);
        assertThat(platform.calls).hasSize(1);

        scripts.env.put("MOLECULE_TOKEN_CACHE_SECONDS", "0");
        assertThat(get().stdout()).contains("ghs_secondTokenSecret");
        assertThat(platform.calls).hasSize(2);
    }

    @Test
    void storeAndEraseChangeNothing() throws Exception {
        get();
        for (String op : new String[] {"store", "erase"}) {
            Scripts.Result result = scripts.run(
                    "protocol=https\nhost=github.com\nusername=x\npassword=other\n\n", "molecule-git-token-helper", op);
            assertThat(result.exit()).isZero();
            assertThat(result.stdout()).isEmpty();
        }
        assertThat(Files.readString(cache.resolve("github-installation-token"))).isEqualTo(PLATFORM_TOKEN);
    }

    private Scripts.Result get() throws Exception {
        return scripts.run(GIT_REQUEST, "molecule-git-token-helper", "get")
                .logsNone(PLATFORM_TOKEN, WORKSPACE_AUTH, ENV_GH_TOKEN, ENV_GITHUB_TOKEN, "ghs_secondTokenSecret");
    }
}
