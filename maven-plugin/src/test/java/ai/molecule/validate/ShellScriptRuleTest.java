package ai.molecule.validate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ShellScriptRuleTest extends TemplateTest {
    @Test
    void cleanScriptPasses() throws Exception {
        template.imageFile(
                "/etc/molecule/entrypoint.d/10-claude.sh", "#!/bin/bash\nset -euo pipefail\necho \"ready\"\n");

        Rule.Outcome outcome = template.check(new ShellScriptRule());

        assertThat(outcome.filesChecked()).isEqualTo(1);
        assertThat(outcome.violations()).isEmpty();
    }

    @Test
    void syntaxErrorNamesFileAndLineOnce() throws Exception {
        template.imageFile("/usr/local/bin/start", "#!/usr/bin/env bash\nif true; then\n  echo hi\nfi fi\n");

        assertThat(template.check(new ShellScriptRule()).violations())
                .filteredOn(v -> v.problem().startsWith("bash -n"))
                .singleElement()
                .satisfies(v -> {
                    assertThat(v.file()).isEqualTo("src/main/image/usr/local/bin/start");
                    assertThat(v.line()).isEqualTo(4);
                    assertThat(v.problem()).contains("syntax error");
                });
    }

    @Test
    void shellcheckFindingsAreViolationsWithTheirLine() throws Exception {
        assertThat(HostTool.find("shellcheck"))
                .as("install shellcheck (apt-get install shellcheck); .ci/setup does")
                .isPresent();
        template.file("src/main/scripts/hook.sh", "#!/bin/sh\nname=$1\necho $name\n");

        assertThat(template.check(new ShellScriptRule()).violations())
                .singleElement()
                .satisfies(v -> {
                    assertThat(v.file()).isEqualTo("src/main/scripts/hook.sh");
                    assertThat(v.line()).isEqualTo(3);
                    assertThat(v.problem()).startsWith("shellcheck").contains("SC2086");
                });
    }

    @Test
    void withoutShellcheckTheRuleWarnsOnceAndStillRunsBashN() throws Exception {
        template.file("src/main/scripts/hook.sh", "#!/bin/sh\nname=$1\necho $name\n")
                .file("src/main/scripts/other.sh", "#!/bin/sh\necho $1\n")
                .file("src/main/scripts/broken.sh", "if\n");
        ShellScriptRule withoutShellcheck =
                new ShellScriptRule(name -> name.equals("shellcheck") ? Optional.empty() : HostTool.find(name));

        Rule.Outcome outcome = template.check(withoutShellcheck);

        assertThat(outcome.filesChecked()).isEqualTo(3);
        assertThat(outcome.violations())
                .singleElement()
                .satisfies(v -> assertThat(v.file()).isEqualTo("src/main/scripts/broken.sh"));
        assertThat(template.log.warnings).singleElement().asString().startsWith("shellcheck is not installed");
    }

    @Test
    void scriptsAreRecognisedByExtensionOrShebang() throws Exception {
        template.file("a.sh", "echo\n")
                .file("b", "#!/bin/dash -e\n")
                .file("c", "#!/usr/bin/env -S bash -eu\n")
                .file("d", "#!/usr/bin/python3\n")
                .file("e", "#!/bin/bashful\n");

        assertThat(ShellScriptRule.isShellScript(project.resolve("a.sh"))).isTrue();
        assertThat(ShellScriptRule.isShellScript(project.resolve("b"))).isTrue();
        assertThat(ShellScriptRule.isShellScript(project.resolve("c"))).isTrue();
        assertThat(ShellScriptRule.isShellScript(project.resolve("d"))).isFalse();
        assertThat(ShellScriptRule.isShellScript(project.resolve("e"))).isFalse();
    }

    @Test
    void filesUnderTargetAreNotChecked() throws Exception {
        template.file("src/target/broken.sh", "if\n").file("src/.git/hooks/pre-commit.sh", "if\n");

        assertThat(template.check(new ShellScriptRule()).filesChecked()).isZero();
    }
}
