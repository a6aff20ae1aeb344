package ai.molecule.workspace;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class AskpassTest {
    private static final String USERNAME_PROMPT = "Username for 'https://git.example.com': ";
    private static final String PASSWORD_PROMPT = "Password for 'https://bot@git.example.com': ";

    @RegisterExtension
    final Scripts scripts = new Scripts();

    @Test
    void answersFromGitHttpVariables() throws Exception {
        Map<String, String> env = Map.of(
                "GIT_HTTP_USERNAME",
                "bot",
                "GIT_HTTP_PASSWORD",
                "http-secret-1",
                "GITEA_USER",
                "gitea-bot",
                "GITEA_TOKEN",
                "gitea-secret-2");

        assertThat(ask(env, USERNAME_PROMPT)).isEqualTo(new Scripts.Result(0, "bot\n", ""));
        assertThat(ask(env, PASSWORD_PROMPT)).isEqualTo(new Scripts.Result(0, "http-secret-1\n", ""));
    }

    @Test
    void fallsBackToGiteaVariables() throws Exception {
        Map<String, String> env = Map.of("GITEA_USER", "gitea-bot", "GITEA_TOKEN", "gitea-secret-2");

        assertThat(ask(env, USERNAME_PROMPT)).isEqualTo(new Scripts.Result(0, "gitea-bot\n", ""));
        assertThat(ask(env, PASSWORD_PROMPT)).isEqualTo(new Scripts.Result(0, "gitea-secret-2\n", ""));
    }

    @Test
    void realGitAsksItForBothPrompts() throws Exception {
        Map<String, String> env = Map.of(
                "GIT_ASKPASS", scripts.bin.resolve("molecule-askpass").toString(),
                "GIT_CONFIG_NOSYSTEM", "1",
                "GIT_HTTP_USERNAME", "bot",
                "GIT_HTTP_PASSWORD", "http-secret-1");

        Scripts.Result result =
                scripts.run(env, "protocol=https\nhost=git.example.com\n\n", "/usr/bin/git", "credential", "fill");

        assertThat(result.exit()).as(result.stderr()).isZero();
        assertThat(result.stdout())
                .isEqualTo("protocol=https\nhost=git.example.com\nusername=bot\npassword=http-secret-1\n");
        assertThat(result.stderr()).doesNotContain("http-secret-1");
    }

    @Test
    void otherPromptsAndMissingValuesPrintNothing() throws Exception {
        Map<String, String> env = Map.of("GIT_HTTP_USERNAME", "bot", "GIT_HTTP_PASSWORD", "http-secret-1");

        assertThat(ask(env, "Are you sure you want to continue connecting (yes/no)? "))
                .isEqualTo(new Scripts.Result(1, "", ""));
        assertThat(ask(Map.of(), PASSWORD_PROMPT)).isEqualTo(new Scripts.Result(1, "", ""));
    }

    private Scripts.Result ask(Map<String, String> env, String prompt) throws Exception {
        return scripts.run(env, "", "molecule-askpass", prompt);
    }
}
