package ai.molecule.validate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ValidatorTest extends TemplateTest {
    @Test
    void everyViolationOfEveryRuleIsReportedNumberedAtOnce() throws Exception {
        template.imageFile("/etc/sudoers.d/agent", "agent ALL=(ALL) NOPASSWD:ALL\n")
                .imageFile("/usr/local/bin/start.sh", "if then\n")
                .imageFile("/app/config.yaml", "a: [\n")
                .imageFile("/app/.env", "GH_TOKEN=" + SecretRuleTest.GITHUB + "\n");

        assertThatThrownBy(() -> Validator.standard().validate(template.template(), template.log))
                .isInstanceOf(ValidationException.class)
                .hasMessageStartingWith("The template breaks 4 validation rule(s) (4 problems):")
                .hasMessageContaining("1. src/main/image/etc/sudoers.d/agent: sudoers drop-in")
                .hasMessageContaining("2. src/main/image/usr/local/bin/start.sh:1: bash -n")
                .hasMessageContaining("3. src/main/image/app/config.yaml:")
                .hasMessageContaining("4. src/main/image/app/.env:1: holds a GitHub token (ghp_****)")
                .message()
                .doesNotContain(SecretRuleTest.GITHUB);
        assertThat(template.log.infos)
                .anyMatch(line -> line.matches("Rule sudoers +1 files checked, 1 violation"))
                .anyMatch(line -> line.matches("Rule secrets +\\d+ files checked, 1 violation"))
                .anyMatch(line -> line.matches("Rule contract paths +0 files checked, ok"));
    }

    @Test
    void cleanTemplatePassesAndSaysSoPerRule() throws Exception {
        template.imageFile("/etc/sudoers.d/agent", "agent ALL=(ALL) NOPASSWD:ALL\n")
                .permission("/etc/sudoers.d/*", "0440", "0:0")
                .imageFile("/app/config.yaml", "a: 1\n");

        Validator.standard().validate(template.template(), template.log);

        assertThat(template.log.infos).hasSize(6).allMatch(line -> line.endsWith(", ok"));
    }
}
