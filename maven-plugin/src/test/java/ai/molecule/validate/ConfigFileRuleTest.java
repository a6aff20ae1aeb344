package ai.molecule.validate;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ConfigFileRuleTest extends TemplateTest {
    @Test
    void wellFormedYamlTomlAndJsonPass() throws Exception {
        template.imageFile("/app/config.yaml", "providers:\n  - name: anthropic\n---\nsecond: document\n")
                .imageFile(
                        "/etc/codex/config.toml",
                        "[model_providers.local]\nname = \"local\"\nbase_url = \"http://x\"\n")
                .file("src/main/settings.json", "{\"permissions\": {\"allow\": []}}\n");

        Rule.Outcome outcome = template.check(new ConfigFileRule());

        assertThat(outcome.filesChecked()).isEqualTo(3);
        assertThat(outcome.violations()).isEmpty();
    }

    @Test
    void brokenYamlInALaterDocumentNamesLineAndColumn() throws Exception {
        template.imageFile("/app/config.yml", "a: 1\n---\nproviders:\n  - name: x\n   bad: [\n");

        assertThat(template.check(new ConfigFileRule()).violations())
                .singleElement()
                .satisfies(v -> {
                    assertThat(v.file()).isEqualTo("src/main/image/app/config.yml");
                    assertThat(v.line()).isGreaterThanOrEqualTo(4);
                    assertThat(v.problem())
                            .startsWith("YAML does not parse (column ")
                            .doesNotContain("in 'reader'");
                });
    }

    @Test
    void brokenTomlNamesItsLine() throws Exception {
        template.imageFile("/etc/codex/config.toml", "[a]\nname = \"x\"\nbroken = \n");

        assertThat(template.check(new ConfigFileRule()).violations())
                .singleElement()
                .satisfies(v -> {
                    assertThat(v.line()).isEqualTo(3);
                    assertThat(v.problem()).startsWith("TOML does not parse");
                });
    }

    @Test
    void jsonWithTrailingGarbageNamesItsLine() throws Exception {
        template.file("src/main/settings.json", "{\n  \"a\": 1\n}\n}\n");

        assertThat(template.check(new ConfigFileRule()).violations())
                .singleElement()
                .satisfies(v -> {
                    assertThat(v.file()).isEqualTo("src/main/settings.json");
                    assertThat(v.line()).isEqualTo(4);
                    assertThat(v.problem()).startsWith("JSON does not parse");
                });
    }

    @Test
    void otherFilesAreNotParsed() throws Exception {
        template.imageFile("/app/notes.txt", "{ not json");

        assertThat(template.check(new ConfigFileRule()).filesChecked()).isZero();
    }
}
