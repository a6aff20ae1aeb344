package ai.molecule.validate;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ContractPathsRuleTest extends TemplateTest {
    @Test
    void workspaceImageWithEveryContractPathPasses() throws Exception {
        template.workspace = true;
        for (String path : ContractPathsRule.PATHS) {
            template.imageFile(path, "x\n");
        }

        Rule.Outcome outcome = template.check(new ContractPathsRule());

        assertThat(outcome.filesChecked()).isEqualTo(4);
        assertThat(outcome.violations()).isEmpty();
    }

    @Test
    void workspaceImageMissingAskpassAndSudoersNamesBoth() throws Exception {
        template.workspace = true;
        template.imageFile("/usr/local/bin/molecule-entrypoint", "x\n")
                .imageFile("/usr/local/bin/molecule-git-token-helper", "x\n");

        assertThat(template.check(new ContractPathsRule()).violations())
                .extracting(Violation::problem)
                .containsExactly(
                        "the workspace image lacks /usr/local/bin/molecule-askpass, which the workspace contract"
                                + " requires",
                        "the workspace image lacks /etc/sudoers.d/molecule-agent, which the workspace contract"
                                + " requires");
    }

    @Test
    void plainImageNeedsNoContractPaths() throws Exception {
        template.imageFile("/app/run", "x\n");

        assertThat(template.check(new ContractPathsRule()).violations()).isEmpty();
    }
}
