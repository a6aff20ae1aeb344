package ai.molecule.examples.claudecode;

import static org.assertj.core.api.Assertions.assertThat;

import ai.molecule.conformance.RuntimeInstallers;
import ai.molecule.conformance.WorkspaceConformanceTest;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.Container.ExecResult;

/**
 * The standard T4 gate plus what the claude-code template itself promises, on one booted container,
 * and what the image it replaces gave an agent: pip and npm installs at run time.
 */
class ClaudeCodeConformanceIT extends WorkspaceConformanceTest implements RuntimeInstallers {

    @Test
    void claudeCliRunsAsAgent() {
        ExecResult result = agent("claude", "--version");
        assertThat(result.getExitCode())
                .as(
                        "`claude --version` as agent failed (%s); the npm layer must install @anthropic-ai/claude-code",
                        redact(result.getStderr()))
                .isZero();
        assertThat(result.getStdout()).contains("Claude Code");
    }

    @Test
    void runtimeLoadsTheAdapterFromApp() {
        ExecResult result = agent("molecule-runtime", "--check");
        assertThat(result.getExitCode())
                .as("molecule-runtime could not load ADAPTER_MODULE=adapter: %s", redact(result.getStderr()))
                .isZero();
        assertThat(result.getStdout()).contains("loaded adapter claude-code", "registry=/app/config.yaml");
    }

    @Test
    void claudeHomeHookPreparedSettingsForAgent() {
        ExecResult result = agent("stat", "-c", "%u %a", "/home/agent/.claude/settings.json");
        assertThat(result.getStdout().strip())
                .as("hook 10-claude-home.sh must leave ~/.claude/settings.json owned by agent")
                .startsWith("1000 ");
    }
}
