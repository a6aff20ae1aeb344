package ai.molecule.validate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import org.junit.jupiter.api.Test;

class PlatformMountsRuleTest extends TemplateTest {

    @Test
    void aTokenCommittedUnderConfigsIsRefusedNamingTheFileAndWhy() throws Exception {
        template.imageFile("/configs/.auth_token", "not-a-real-token\n")
                .imageFile("/workspace/notes.txt", "x\n")
                .imageFile("/app/adapter.py", "print('ok')\n");

        assertThat(template.check(new PlatformMountsRule()).violations())
                .extracting(Violation::describe)
                .containsExactly(
                        "src/main/image/configs/.auth_token: ships /configs/.auth_token under /configs, which the"
                                + " provisioner mounts over the image at start; it is the workspace token's path, and"
                                + " a token in an image layer leaks to everyone who pulls it. Remove it from the"
                                + " template: the platform provides /configs when the workspace starts. Put a default"
                                + " the agent needs elsewhere (e.g. under /etc/molecule) and copy it in an entrypoint.d"
                                + " hook",
                        "src/main/image/workspace/notes.txt: ships /workspace/notes.txt under /workspace, which the"
                                + " provisioner mounts over the image at start. Remove it from the template: the"
                                + " platform provides /workspace when the workspace starts. Put a default the agent"
                                + " needs elsewhere (e.g. under /etc/molecule) and copy it in an entrypoint.d hook");
    }

    @Test
    void anEmptyMountDirectoryIsReportedOnce() throws Exception {
        Files.createDirectories(project.resolve("src/main/image/molecule-restore-source/sub"));
        template.imageFile("/app/adapter.py", "print('ok')\n");

        assertThat(template.check(new PlatformMountsRule()).violations())
                .extracting(Violation::problem)
                .containsExactly("ships /molecule-restore-source under /molecule-restore-source, which the provisioner"
                        + " mounts over the image at start");
    }

    @Test
    void filesBesideTheMountsPass() throws Exception {
        template.imageFile("/app/configs/defaults.yaml", "a: 1\n")
                .imageFile("/etc/molecule/workspace.template", "x\n")
                .imageFile("/configsuffix/file", "x\n");

        Rule.Outcome outcome = template.check(new PlatformMountsRule());

        assertThat(outcome.violations()).isEmpty();
        assertThat(outcome.filesChecked()).isPositive();
    }
}
