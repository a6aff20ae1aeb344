package ai.molecule.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Building to the docker target when no engine answers fails with a message that says how to start
 * one.
 *
 * <p>The builder's {@code DockerEngine} hands the JVM's own environment to the docker CLI, and a
 * JVM cannot change its own environment. Rather than adding a test-only seam to the main code, the
 * test runs {@link NoEngineProbe} in a child JVM (same java, same test class path) whose
 * environment sets {@code DOCKER_HOST} to a unix socket that does not exist, so the real code path
 * (CLI call, its stderr, {@code describeHost()} reading DOCKER_HOST) is what is checked. It needs
 * the docker CLI but no engine; a running engine elsewhere cannot make it pass by accident.
 */
class NoEngineIT {
    @TempDir
    Path work;

    @Test
    void dockerTargetWithoutEngineSaysHowToStartOne() throws Exception {
        Path socket = work.resolve("no-engine.sock");
        assertThat(socket).doesNotExist();
        Map<String, String> environment = new HashMap<>();
        environment.put("DOCKER_HOST", "unix://" + socket);
        // Nothing else may redirect the CLI to a working engine.
        environment.put("DOCKER_CONTEXT", null);
        environment.put("DOCKER_TLS_VERIFY", null);
        environment.put("DOCKER_CERT_PATH", null);

        EngineSupport.Exec probe = EngineSupport.run(
                List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        NoEngineProbe.class.getName(),
                        work.toString(),
                        "molecule-it/no-engine-" + EngineSupport.randomHex(6) + ":1"),
                environment);

        assertThat(probe.exit())
                .as("probe exit; stdout: %s; stderr: %s", probe.stdout(), probe.stderr())
                .isZero();
        String message = Files.readString(work.resolve("message.txt"), StandardCharsets.UTF_8);
        assertThat(message)
                .startsWith("No Docker engine answered (DOCKER_HOST=unix://" + socket + "): ")
                .contains("Cannot connect to the Docker daemon at unix://" + socket)
                .contains("dockerd")
                .contains("<target>tar</target>")
                .endsWith("Is the docker daemon running? " + DockerEngine.START_HINT);
        assertThat(work.resolve("report").resolve(ImageBuilder.REPORT_FILE))
                .as("a failed build leaves no report")
                .doesNotExist();
    }
}
