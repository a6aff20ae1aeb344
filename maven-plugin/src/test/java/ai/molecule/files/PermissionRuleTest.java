package ai.molecule.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.molecule.core.InvalidConfigurationException;
import java.util.List;
import org.junit.jupiter.api.Test;

class PermissionRuleTest {

    @Test
    void badModeNamesTheElementThePathAndTheFix() {
        assertThatThrownBy(() -> PermissionRule.parse("/usr/local/bin/*", "0x9", null))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessage("<permissions>: mode '0x9' for /usr/local/bin/* is not an octal file mode."
                        + " Write three or four octal digits, e.g. 0755, 0440 or 4755 for setuid");
    }

    @Test
    void fiveDigitModeIsRefused() {
        assertThatThrownBy(() -> PermissionRule.parse("/x", "10755", null)).hasMessageContaining("'10755'");
    }

    @Test
    void ownerMustBeNumeric() {
        assertThatThrownBy(() -> PermissionRule.parse("/home/agent/**", null, "agent:agent"))
                .hasMessageStartingWith(
                        "<permissions>: owner 'agent:agent' for /home/agent/** is not a numeric uid:gid");
    }

    @Test
    void relativeGlobIsRefused() {
        assertThatThrownBy(() -> PermissionRule.parse("etc/*", "0644", null))
                .hasMessageContaining("is not an absolute image path");
    }

    @Test
    void ruleWithoutModeOrOwnerIsRefused() {
        assertThatThrownBy(() -> PermissionRule.parse("/etc/x", " ", null)).hasMessageContaining("neither");
    }

    @Test
    void laterRulesWinAndSetuidSurvives() throws InvalidConfigurationException {
        PermissionRule.Matchers matchers = new PermissionRule.Matchers(List.of(
                PermissionRule.parse("/usr/**", "0755", "0:0"),
                PermissionRule.parse("/usr/bin/sudo", "4755", null),
                PermissionRule.parse("/home/agent/**", null, "1000:1000")));

        assertThat(matchers.apply("/usr/bin/sudo", 0644, 5, 5)).containsExactly(04755, 0, 0);
        assertThat(matchers.apply("/usr/lib/x", 0644, 5, 5)).containsExactly(0755, 0, 0);
        assertThat(matchers.apply("/home/agent/.bashrc", 0644, 0, 0)).containsExactly(0644, 1000, 1000);
        assertThat(matchers.apply("/etc/hosts", 0644, 0, 0)).containsExactly(0644, 0, 0);
    }

    @Test
    void singleStarStaysInOneDirectory() throws InvalidConfigurationException {
        PermissionRule.Matchers matchers =
                new PermissionRule.Matchers(List.of(PermissionRule.parse("/etc/sudoers.d/*", "0440", null)));

        assertThat(matchers.apply("/etc/sudoers.d/agent-t4", 0644, 0, 0)[0]).isEqualTo(0440);
        assertThat(matchers.apply("/etc/sudoers.d/deep/file", 0644, 0, 0)[0]).isEqualTo(0644);
    }
}
