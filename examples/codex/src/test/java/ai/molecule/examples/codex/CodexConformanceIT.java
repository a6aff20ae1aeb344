package ai.molecule.examples.codex;

import static org.assertj.core.api.Assertions.assertThat;

import ai.molecule.conformance.RuntimeInstallers;
import ai.molecule.conformance.WorkspaceConformanceTest;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.Container.ExecResult;

/**
 * The standard T4 gate plus what the codex template itself promises, on one booted container, and
 * what the image it replaces gave an agent: pip and npm installs at run time.
 */
class CodexConformanceIT extends WorkspaceConformanceTest implements RuntimeInstallers {

    @Test
    void codexCliRunsAsAgent() {
        ExecResult result = agent("codex", "--version");
        assertThat(result.getExitCode())
                .as(
                        "`codex --version` as agent failed (%s); the npm layer must install @openai/codex",
                        redact(result.getStderr()))
                .isZero();
        assertThat(result.getStdout()).contains("0.130.0");
    }

    @Test
    void providerTomlIsRenderedAtBoot() {
        ExecResult result = agent("cat", "/home/agent/.codex/config.toml");
        assertThat(result.getStdout())
                .as("hook 10-codex-provider.sh must write ~/.codex/config.toml from config.yaml")
                .contains("model_provider = \"openai\"", "[mcp_servers.molecule.env]");
    }

    /**
     * The old Dockerfile's build-time smoke check, done right: without auth.json the watchdog's
     * {@code --once} exits 1 (skip), and that expected status is captured, not fatal; 127 would
     * mean it cannot find python3.
     */
    @Test
    void authWatchdogOnceSkipsWithoutAuthJson() {
        ExecResult result = agent(
                "bash",
                "-c",
                "rc=0; CODEX_HOME=/tmp/no-codex-home codex-auth-refresh --once || rc=$?; echo \"rc=$rc\"");
        assertThat(result.getStdout())
                .as("codex-auth-refresh --once without auth.json must exit 1 (skip:no_auth_json); 127 means no python3")
                .contains("skip:no_auth_json", "rc=1");
    }
}
