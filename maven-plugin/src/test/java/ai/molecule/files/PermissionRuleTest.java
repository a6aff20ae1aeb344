package ai.molecule.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.molecule.core.DirectoryScan.Ownership;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class PermissionRuleTest {

    @Test
    void laterRulesWinAndSetuidSurvives() {
        PermissionRule.Matchers matchers = new PermissionRule.Matchers(List.of(
                rule("/usr/**", OptionalInt.of(0755), OptionalInt.of(0)),
                rule("/usr/bin/sudo", OptionalInt.of(04755), OptionalInt.empty()),
                rule("/home/agent/**", OptionalInt.empty(), OptionalInt.of(1000))));

        assertThat(matchers.apply("/usr/bin/sudo", new Ownership(0644, 5, 5))).isEqualTo(new Ownership(04755, 0, 0));
        assertThat(matchers.apply("/usr/lib/x", new Ownership(0644, 5, 5))).isEqualTo(new Ownership(0755, 0, 0));
        assertThat(matchers.apply("/home/agent/.bashrc", new Ownership(0644, 0, 0)))
                .isEqualTo(new Ownership(0644, 1000, 1000));
        assertThat(matchers.apply("/etc/hosts", new Ownership(0644, 0, 0))).isEqualTo(new Ownership(0644, 0, 0));
    }

    @Test
    void singleStarStaysInOneDirectory() {
        PermissionRule.Matchers matchers = new PermissionRule.Matchers(
                List.of(rule("/etc/sudoers.d/*", OptionalInt.of(0440), OptionalInt.empty())));

        assertThat(matchers.apply("/etc/sudoers.d/agent-t4", new Ownership(0644, 0, 0))
                        .mode())
                .isEqualTo(0440);
        assertThat(matchers.apply("/etc/sudoers.d/deep/file", new Ownership(0644, 0, 0))
                        .mode())
                .isEqualTo(0644);
    }

    @Test
    void aRuleOutsideTheModeRangeOrRelativeCannotBeMade() {
        assertThatThrownBy(() -> rule("/x", OptionalInt.of(010755), OptionalInt.empty()))
                .hasMessageContaining("10755");
        assertThatThrownBy(() -> rule("etc/*", OptionalInt.of(0644), OptionalInt.empty()))
                .hasMessageContaining("absolute");
    }

    /** A rule setting {@code owner} as both uid and gid. */
    private static PermissionRule rule(String glob, OptionalInt mode, OptionalInt owner) {
        return new PermissionRule(glob, mode, owner, owner);
    }
}
