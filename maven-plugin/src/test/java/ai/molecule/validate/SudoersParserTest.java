package ai.molecule.validate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SudoersParserTest {

    private static List<SudoersParser.Problem> parse(String text) {
        return SudoersParser.parse(text.lines().toList());
    }

    @Test
    void debianStyleSudoersParses() {
        assertThat(parse("""
                        # This file MUST be edited with the 'visudo' command as root.
                        Defaults\tenv_reset
                        Defaults\tmail_badpass
                        Defaults\tsecure_path="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin"
                        Defaults:agent !requiretty, env_keep += "GH_TOKEN GITHUB_TOKEN"
                        Defaults@build timestamp_timeout=0
                        Host_Alias BUILD = build1, build2, 10.0.0.0/8
                        User_Alias ADMINS = alice, bob, %admins
                        Runas_Alias OPS = root, operator
                        Cmnd_Alias APT = /usr/bin/apt update, /usr/bin/apt install *
                        root\tALL=(ALL:ALL) ALL
                        %sudo\tALL=(ALL:ALL) ALL
                        ADMINS BUILD = (OPS) NOPASSWD: SETENV: APT, !/usr/bin/su
                        #1000 ALL = (root) NOEXEC: /usr/bin/less
                        agent ALL=(ALL) NOPASSWD:ALL  # the T4 grant
                        deploy ALL = (root) CWD=/srv NOPASSWD: /usr/bin/systemctl restart app, \\
                            /usr/bin/systemctl status app
                        @includedir /etc/sudoers.d
                        #includedir /etc/sudoers.d
                        @include /etc/sudoers.local
                        """)).isEmpty();
    }

    @Test
    void missingEqualsIsReportedAtItsLine() {
        assertThat(parse("# comment\n\nagent ALL NOPASSWD: ALL\n"))
                .singleElement()
                .satisfies(p -> {
                    assertThat(p.line()).isEqualTo(3);
                    assertThat(p.message()).contains("is not a sudoers statement");
                });
    }

    @Test
    void tagWithoutColonIsReported() {
        assertThat(parse("agent ALL=(ALL) NOPASSWD ALL\n"))
                .singleElement()
                .satisfies(p -> assertThat(p.message()).contains("a tag ends with ':'"));
    }

    @Test
    void unclosedRunasListIsReported() {
        assertThat(parse("agent ALL=(ALL NOPASSWD: ALL\n"))
                .singleElement()
                .satisfies(p -> assertThat(p.message()).contains("lacks its closing ')'"));
    }

    @Test
    void relativeCommandIsReported() {
        assertThat(parse("agent ALL=(root) apt update\n"))
                .singleElement()
                .satisfies(p -> assertThat(p.message()).contains("is not an absolute path, an alias or ALL"));
    }

    @Test
    void lowerCaseAliasNameIsReported() {
        assertThat(parse("Cmnd_Alias apt = /usr/bin/apt\n"))
                .singleElement()
                .satisfies(p -> assertThat(p.message()).contains("name 'apt' must be upper case"));
    }

    @Test
    void emptyDefaultsAndIncludeWithoutPathAreReported() {
        assertThat(parse("Defaults\n@includedir\n"))
                .extracting(SudoersParser.Problem::line)
                .containsExactly(1, 2);
    }

    @Test
    void continuedStatementIsReportedAtItsFirstLine() {
        assertThat(parse("agent ALL = (root) \\\n  NOPASSWD: \\\n  usr/bin/true\nroot ALL=(ALL) ALL\n"))
                .singleElement()
                .satisfies(p -> assertThat(p.line()).isEqualTo(1));
    }

    @Test
    void userListWithSpacesAfterCommasParses() {
        assertThat(parse("alice, bob ALL = (ALL) ALL\n")).isEmpty();
    }
}
