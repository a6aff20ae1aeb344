package ai.molecule.workspace;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class AgentStartTest {
    private static final String GH_SECRET = "ghp_agentStartSecret555";

    @RegisterExtension
    final Scripts scripts = new Scripts();

    private Path dir;
    private Path hooks;
    private Path pidFile;

    @BeforeEach
    void setUp() throws Exception {
        dir = scripts.dir;
        hooks = Files.createDirectories(dir.resolve("entrypoint.d"));
        Path runtime = dir.resolve("runtime");
        pidFile = runtime.resolve("refresh-daemon.pid");
        scripts.env.put("MOLECULE_HOOKS_DIR", hooks.toString());
        scripts.env.put("MOLECULE_RUNTIME_DIR", runtime.toString());
        scripts.env.put("MOLECULE_TOKEN_REFRESH_SECONDS", "3600");
    }

    /** agent-start detaches the daemon, so it is not among the processes the fixture stops. */
    @AfterEach
    void stopDaemon() throws Exception {
        if (Files.exists(pidFile)) {
            ProcessHandle.of(Long.parseLong(Files.readString(pidFile).strip())).ifPresent(Scripts::stop);
        }
    }

    @Test
    void runsShHooksInLexicalOrderThenExecsTheCommand() throws Exception {
        Path trail = dir.resolve("trail");
        Files.writeString(hooks.resolve("20-second.sh"), "echo second >> '" + trail + "'\n");
        Files.writeString(hooks.resolve("05-first.sh"), "echo first >> '" + trail + "'; exit 3\n");
        Files.writeString(hooks.resolve("30-notes.txt"), "echo never >> '" + trail + "'\n");
        scripts.stub("show", "echo \"command ran with $*\"; cat '" + trail + "'");

        Scripts.Result result = scripts.run("", "agent-start", "show", "a b", "c");

        assertThat(result.exit()).isZero();
        assertThat(Files.readString(trail)).isEqualTo("first\nsecond\n");
        assertThat(result.stdout())
                .contains("hook " + hooks.resolve("05-first.sh") + " exited 3")
                .endsWith("command ran with a b c\nfirst\nsecond\n");
    }

    @Test
    void withoutArgumentsRunsMoleculeRuntime() throws Exception {
        scripts.stub("molecule-runtime", "echo \"runtime as $(id -u) args=$#\"");

        Scripts.Result result = scripts.run("", "agent-start");

        assertThat(result.stdout()).endsWith("args=0\n").contains("runtime as");
    }

    @Test
    void startsOneRefreshDaemonAndASecondStartReusesIt() throws Exception {
        scripts.run("", "agent-start", "true");
        long first = Long.parseLong(Files.readString(pidFile).strip());
        assertThat(ProcessHandle.of(first).map(ProcessHandle::isAlive)).contains(true);

        Scripts.Result again = scripts.run("", "agent-start", "true");

        assertThat(again.stdout()).contains("refresh daemon already running (pid " + first + ")");
        assertThat(Files.readString(pidFile).strip()).isEqualTo(String.valueOf(first));
    }

    @Test
    void aStalePidFileStartsANewDaemon() throws Exception {
        Files.createDirectories(pidFile.getParent());
        Files.writeString(pidFile, "2147483\n");

        Scripts.Result result = scripts.run("", "agent-start", "true");

        long pid = Long.parseLong(Files.readString(pidFile).strip());
        assertThat(pid).isNotEqualTo(2147483L);
        assertThat(result.stdout()).contains("refresh daemon started (pid " + pid + ")");
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).isEqualTo(Optional.of(true));
    }

    @Test
    void initialGhLoginGetsTheProvisionTokenOnStdinWithTheEnvironmentTokenHidden() throws Exception {
        Path ghInput = dir.resolve("gh-input");
        scripts.stubRecordingGh(ghInput);
        scripts.env.put("GH_TOKEN", GH_SECRET);

        Scripts.Result result = scripts.run("", "agent-start", "true").leaksNone(GH_SECRET);

        assertThat(result.stdout()).contains("gh logged in");
        assertThat(Files.readString(ghInput))
                .isEqualTo("auth login --hostname github.com --with-token GH_TOKEN=hidden\n" + GH_SECRET + "\n");
    }

    @Test
    void failingGhLoginDoesNotStopTheBoot() throws Exception {
        scripts.stub("gh", "exit 1");
        scripts.env.put("GITHUB_TOKEN", GH_SECRET);
        scripts.stub("show", "echo booted");

        Scripts.Result result = scripts.run("", "agent-start", "show").leaksNone(GH_SECRET);

        assertThat(result.stdout()).contains("initial gh auth login failed").endsWith("booted\n");
    }
}
