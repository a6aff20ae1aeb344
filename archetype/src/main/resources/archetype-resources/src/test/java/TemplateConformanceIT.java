package ${package};

import static org.assertj.core.api.Assertions.assertThat;

import ai.molecule.conformance.WorkspaceConformanceTest;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.Container.ExecResult;

/**
 * The standard T4 gate (inherited) plus what this template itself promises, on one booted container.
 * Add a check here for every promise the template makes to an agent.
 */
class TemplateConformanceIT extends WorkspaceConformanceTest {

    @Test
    void agentCliRunsAsAgent() {
        ExecResult result = agent("${agentCommand}", "--version");
        assertThat(result.getExitCode())
                .as("`${agentCommand} --version` as agent failed (%s); the npm layer must install ${agentPackage}",
                        redact(result.getStderr()))
                .isZero();
    }

    @Test
    void runtimeLoadsTheAdapterFromApp() {
        ExecResult result = agent("molecule-runtime", "--check");
        assertThat(result.getExitCode())
                .as("molecule-runtime could not load ADAPTER_MODULE=adapter: %s", redact(result.getStderr()))
                .isZero();
        assertThat(result.getStdout()).contains("loaded adapter ${artifactId} ", "registry=/app/config.yaml");
    }
}
