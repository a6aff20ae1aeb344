package ai.molecule.validate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class SudoersRuleTest extends TemplateTest {
    @Test
    void rootOwned0440DropInPasses() throws Exception {
        template.imageFile("/etc/sudoers.d/agent-t4", "agent ALL=(ALL) NOPASSWD:ALL\n")
                .permission("/etc/sudoers.d/*", "0440", "0:0");

        Rule.Outcome outcome = template.check(new SudoersRule());

        assertThat(outcome.filesChecked()).isEqualTo(1);
        assertThat(outcome.violations()).isEmpty();
    }

    @Test
    void dropInLeftAt0644SaysHowToSet0440() throws Exception {
        template.imageFile("/etc/sudoers.d/agent-t4", "agent ALL=(ALL) NOPASSWD:ALL\n");

        Rule.Outcome outcome = template.check(new SudoersRule());

        assertThat(outcome.violations()).singleElement().satisfies(v -> {
            assertThat(v.file()).isEqualTo("src/main/image/etc/sudoers.d/agent-t4");
            assertThat(v.problem())
                    .contains("is mode 0644; sudo ignores it unless it is 0440")
                    .contains("unless a <permission> sets its mode");
            assertThat(v.fix())
                    .contains("<permission><path>/etc/sudoers.d/agent-t4</path><mode>0440</mode>"
                            + "<owner>0:0</owner></permission>");
        });
    }

    @Test
    void dropInOwnedByAgentIsReported() throws Exception {
        template.imageFile("/etc/sudoers.d/agent", "agent ALL=(ALL) NOPASSWD:ALL\n")
                .permission("/etc/sudoers.d/*", "0440", "1000:1000");

        assertThat(template.check(new SudoersRule()).violations())
                .singleElement()
                .satisfies(v ->
                        assertThat(v.problem()).contains("owned by uid 1000; sudo ignores it unless root owns it"));
    }

    @Test
    void nameWithADotIsSkippedBySudoAndSaysSo() throws Exception {
        template.imageFile("/etc/sudoers.d/agent.conf", "agent ALL=(ALL) NOPASSWD:ALL\n")
                .permission("/etc/sudoers.d/*", "0440", "0:0");

        assertThat(template.check(new SudoersRule()).violations())
                .singleElement()
                .satisfies(v -> {
                    assertThat(v.problem()).contains("has '.' or '~' in its name; sudo skips such files");
                    assertThat(v.fix()).contains("/etc/sudoers.d/agent-conf");
                });
    }

    @Test
    void syntaxErrorNamesFileAndLine() throws Exception {
        template.imageFile(
                        "/etc/sudoers.d/agent",
                        "# T4\nDefaults env_keep += \"GH_TOKEN\"\nagent ALL=(ALL) NOPASWD: ALL\n")
                .permission("/etc/sudoers.d/*", "0440", "0:0");

        assertThat(template.check(new SudoersRule()).violations())
                .singleElement()
                .satisfies(v -> {
                    assertThat(v.file()).isEqualTo("src/main/image/etc/sudoers.d/agent");
                    assertThat(v.line()).isEqualTo(3);
                    assertThat(v.problem()).contains("unknown tag 'NOPASWD:'");
                });
    }

    @Test
    void symlinkUnderSudoersDIsReported() throws Exception {
        template.imageFile("/etc/placeholder", "x\n");
        java.nio.file.Files.createDirectories(project.resolve("src/main/image/etc/sudoers.d"));
        java.nio.file.Files.createSymbolicLink(
                project.resolve("src/main/image/etc/sudoers.d/agent"), Path.of("/etc/placeholder"));

        assertThat(template.check(new SudoersRule()).violations())
                .singleElement()
                .satisfies(v -> assertThat(v.problem()).contains("is a symlink; sudo reads only regular files"));
    }

    @Test
    void imageWithoutDropInsChecksNothing() throws Exception {
        template.imageFile("/etc/motd", "hello\n");

        assertThat(template.check(new SudoersRule())).isEqualTo(new Rule.Outcome(0, java.util.List.of()));
    }
}
