package ai.molecule.workspace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every shipped script parses ({@code bash -n}) and is shellcheck-clean, in every build. */
class WorkspaceScriptLintTest {
    @TempDir
    Path dir;

    static Stream<String> scripts() {
        return WorkspaceAssets.scripts().stream();
    }

    @ParameterizedTest
    @MethodSource("scripts")
    void parsesWithBashN(String script) throws Exception {
        assertThat(run("bash", "-n", write(script))).as("bash -n " + script).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("scripts")
    void passesShellcheck(String script) throws Exception {
        if (Stream.of(System.getenv("PATH").split(":")).noneMatch(d -> Files.isExecutable(Path.of(d, "shellcheck")))) {
            fail("shellcheck is not on PATH; install shellcheck (apt-get install shellcheck)");
        }
        assertThat(run("shellcheck", "--shell=bash", "--severity=style", write(script)))
                .as("shellcheck " + script)
                .isEmpty();
    }

    private String write(String script) throws Exception {
        Path file = dir.resolve(script);
        Files.writeString(file, WorkspaceAssets.text(script));
        return file.toString();
    }

    private static String run(String... command) throws Exception {
        Process process =
                new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        return process.waitFor() == 0 ? output : "exit " + process.exitValue() + "\n" + output;
    }
}
