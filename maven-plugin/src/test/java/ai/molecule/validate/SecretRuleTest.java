package ai.molecule.validate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import ai.molecule.core.LayerSpec;
import ai.molecule.core.LayerTarWriter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SecretRuleTest extends TemplateTest {
    // Built at run time so that this source file holds no credential-shaped string itself.
    static final String GITHUB = "ghp" + "_" + "R7kq2Vx9Lm4Pz8Tn3Wb6Yc1Hd5Jf0Gs2Ae7U";
    private static final String BODY = "Q2xhdWRlIGlzIGEgbW9kZWwgYnkgQW50aHJvcGlj";

    private static List<SecretScanner.Finding> scan(String text) throws Exception {
        return SecretScanner.scan(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void gitHubTokenInAnImageFileIsReportedByKindWithoutItsValue() throws Exception {
        template.imageFile("/app/config.yaml", "name: x\ntoken: " + GITHUB + "\n");

        Rule.Outcome outcome = template.check(new SecretRule());

        assertThat(outcome.violations()).singleElement().satisfies(v -> {
            assertThat(v.file()).isEqualTo("src/main/image/app/config.yaml");
            assertThat(v.line()).isEqualTo(2);
            assertThat(v.problem()).isEqualTo("holds a GitHub token (ghp_****)");
            assertThat(v.describe()).doesNotContain(GITHUB).doesNotContain(GITHUB.substring(4, 12));
        });
    }

    @Test
    void projectFilesOutsideTheImageAreScannedButNotTarget() throws Exception {
        template.file("src/test/resources/fixture.env", "OPENAI_API_KEY=sk-" + "proj-" + BODY + "\n")
                .file("target/classes/leak.env", "GH_TOKEN=" + GITHUB + "\n");

        assertThat(template.check(new SecretRule()).violations())
                .extracting(Violation::file, Violation::problem)
                .containsExactly(tuple("src/test/resources/fixture.env", "holds a OpenAI project key (sk-proj-****)"));
    }

    @Test
    void cleanTemplatePasses() throws Exception {
        template.imageFile("/usr/local/bin/start", "#!/bin/bash\ngh auth login --with-token <<<\"$GH_TOKEN\"\n");

        assertThat(template.check(new SecretRule()).violations()).isEmpty();
    }

    @Test
    void everyKindIsRecognised() throws Exception {
        String text = String.join(
                "\n",
                "a " + GITHUB,
                "b github_pat_" + "11ABCDEFG0" + BODY,
                "c AKIA" + "Q3ZT7NB2XK4LM9PD",
                "d aws_secret_access_key = " + BODY,
                "e sk-ant-" + "api03-" + BODY,
                "f sk-" + BODY,
                "g xoxb-" + "2231-8812-" + BODY.substring(0, 16),
                "h -----BEGIN OPENSSH PRIVATE KEY-----",
                BODY + BODY,
                "i {\"type\": \"service_account\", \"private_key\": \"-----BEGIN PRIVATE KEY-----\\n" + BODY
                        + "\\n\"}");

        assertThat(scan(text))
                .extracting(SecretScanner.Finding::line, SecretScanner.Finding::kind)
                .containsExactly(
                        tuple(1, "GitHub token"),
                        tuple(2, "GitHub fine-grained token"),
                        tuple(3, "AWS access key id"),
                        tuple(4, "AWS secret access key"),
                        tuple(5, "Anthropic API key"),
                        tuple(6, "OpenAI API key"),
                        tuple(7, "Slack token"),
                        tuple(8, "PEM private key"),
                        tuple(10, "GCP service-account private key"));
        assertThat(scan(text))
                .extracting(SecretScanner.Finding::redacted)
                .noneMatch(shown -> shown.contains(BODY.substring(0, 8)) || shown.contains("Q3ZT"));
    }

    @Test
    void placeholdersAreNotSecrets() throws Exception {
        assertThat(scan(String.join(
                        "\n",
                        "GH_TOKEN=ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
                        "GH_TOKEN=ghp_XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX",
                        "GH_TOKEN=ghp_${GITHUB_TOKEN}",
                        "password=<token>",
                        "export ANTHROPIC_API_KEY=sk-ant-...",
                        "export ANTHROPIC_API_KEY=sk-ant-your-key-goes-here-please",
                        "pip install sk-learn-compatible-estimators",
                        "aws_access_key_id = AKIAIOSFODNN7EXAMPLE",
                        "aws_access_key_id = AKIA0000000000000000",
                        "grep -q -- '-----BEGIN PRIVATE KEY-----' \"$file\"",
                        "echo done")))
                .isEmpty();
    }

    @Test
    void pemHeaderWithoutABodyIsNotAKey() throws Exception {
        assertThat(scan("-----BEGIN RSA PRIVATE KEY-----\n-----END RSA PRIVATE KEY-----\n"))
                .isEmpty();
    }

    @Test
    void binaryFilesAreSkipped() throws Exception {
        byte[] bytes = ("\0ELF " + GITHUB).getBytes(StandardCharsets.UTF_8);

        assertThat(SecretScanner.scan(new ByteArrayInputStream(bytes))).isEmpty();
    }

    @Test
    void layerTarIsScannedPerEntryAtItsImagePath() throws Exception {
        template.imageFile("/etc/gitconfig", "[user]\n  name = agent\n")
                .imageFile("/home/agent/.env", "X=1\nGH_TOKEN=" + GITHUB + "\n");
        LayerSpec layer = template.template().layers().get(0);
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        LayerTarWriter.write(layer, Instant.EPOCH, tar);

        assertThat(SecretScanner.scanTar(new ByteArrayInputStream(tar.toByteArray())))
                .singleElement()
                .satisfies(found -> {
                    assertThat(found.path()).isEqualTo("/home/agent/.env");
                    assertThat(found.finding().line()).isEqualTo(2);
                    assertThat(found.finding().kind()).isEqualTo("GitHub token");
                });
    }
}
