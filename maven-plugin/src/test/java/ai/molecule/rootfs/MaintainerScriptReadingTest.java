package ai.molecule.rootfs;

import static org.assertj.core.api.Assertions.assertThat;

import ai.molecule.testing.RecordingLog;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reading what maintainer scripts would do, on text taken from real bookworm packages. */
class MaintainerScriptReadingTest {
    /** mawk 1.3.4.20200120-3.1's postinst, as shipped. */
    static final String MAWK_POSTINST = """
            #!/bin/sh
            set -e
            # Automatically added by dh_installalternatives/13.7.1
            if [ "$1" = "configure" ] || [ "$1" = "abort-upgrade" ] || [ "$1" = "abort-deconfigure" ] || [ "$1" = "abort-remove" ]; then
                    update-alternatives --install /usr/bin/awk awk /usr/bin/mawk 5 \\
                        --slave /usr/share/man/man1/awk.1.gz awk.1.gz /usr/share/man/man1/mawk.1.gz \\
                        --slave /usr/bin/nawk nawk /usr/bin/mawk \\
                        --slave /usr/share/man/man1/nawk.1.gz nawk.1.gz /usr/share/man/man1/mawk.1.gz
            fi
            # End automatically added section
            """;

    /** apt 2.6.1's postinst, first lines. */
    static final String APT_POSTINST = """
            #!/bin/sh
            set -e

            if [ "$1" = 'configure' ] && [ -z "$DPKG_ROOT" ] && ! getent passwd _apt >/dev/null; then
            	# add unprivileged user for the apt methods
            	adduser --force-badname --system --home /nonexistent  \\
            	    --no-create-home --quiet _apt || true
            fi
            """;

    private final RecordingLog log = new RecordingLog();

    @Test
    void mawkRegistersAwkWithThreeSlavesAcrossContinuationLines() {
        List<AlternativeInstall> installs = AlternativeInstall.scan("mawk", MAWK_POSTINST, log);

        assertThat(installs).singleElement().satisfies(install -> {
            assertThat(install.link()).isEqualTo("/usr/bin/awk");
            assertThat(install.name()).isEqualTo("awk");
            assertThat(install.path()).isEqualTo("/usr/bin/mawk");
            assertThat(install.priority()).isEqualTo(5);
            assertThat(install.slaves())
                    .extracting(AlternativeInstall.Slave::name)
                    .containsExactly("awk.1.gz", "nawk", "nawk.1.gz");
            assertThat(install.slaves().get(1).link()).isEqualTo("/usr/bin/nawk");
        });
        assertThat(log.warnings).isEmpty();
    }

    @Test
    void anAlternativeWithAVariableIsSkippedAndSaid() {
        String postinst = """
                for v in 1 2; do
                  update-alternatives --install /usr/bin/tool tool /usr/bin/tool-$v 10
                done
                update-alternatives --remove rename /usr/bin/prename
                """;

        assertThat(AlternativeInstall.scan("tools", postinst, log)).isEmpty();
        assertThat(log.warnings)
                .singleElement()
                .satisfies(warning ->
                        assertThat(warning).contains("tools postinst line 2").contains("shell variables"));
    }

    @Test
    void heredocBodiesAndCommentsAreNotCommands() {
        String script = """
                # update-alternatives --install /usr/bin/x x /usr/bin/y 1
                cat <<EOF
                adduser --system fake
                EOF
                cat <<-'END'
                	addgroup --system fake2
                	END
                addgroup --system real
                """;

        List<ShellCommands.Command> calls = ShellCommands.parse(script);

        assertThat(calls).extracting(ShellCommands.Command::program).containsExactly("cat", "cat", "addgroup");
        assertThat(calls.get(2).line()).isEqualTo(8);
    }

    @Test
    void quotesRedirectionsAndKeywordsAreUnderstood() {
        List<ShellCommands.Command> calls = ShellCommands.parse(
                "if ! getent group 'my group' >/dev/null 2>&1; then /usr/sbin/addgroup --system \"docker\"; fi");

        assertThat(calls).extracting(ShellCommands.Command::program).containsExactly("getent", "addgroup");
        assertThat(calls.get(0).texts()).containsExactly("group", "my group");
        assertThat(calls.get(1).texts()).containsExactly("--system", "docker");
        assertThat(calls.get(1).anyExpanded()).isFalse();
    }

    @Test
    void aptsSystemUserIsFoundWithHomeAndNoGroup() {
        List<SystemAccount> accounts = SystemAccount.scan("apt", "postinst", APT_POSTINST, log);

        assertThat(accounts).singleElement().satisfies(user -> {
            assertThat(user.kind()).isEqualTo(SystemAccount.Kind.USER);
            assertThat(user.name()).isEqualTo("_apt");
            assertThat(user.home()).isEqualTo("/nonexistent");
            assertThat(user.shell()).isEqualTo("/usr/sbin/nologin");
            assertThat(user.ownGroup()).isFalse();
            assertThat(user.createHome()).isFalse();
        });
    }

    @Test
    void everyAccountCommandFormIsRecognised() {
        String script = """
                addgroup --system docker
                adduser --system --group --home /var/lib/foo --shell /bin/false --gecos 'Foo daemon' foo
                useradd -r -M -d /var/lib/bar -s /usr/sbin/nologin -g nogroup bar
                groupadd -r render
                groupadd -g 42 shadow
                groupadd users2
                adduser foo docker
                adduser --system $NAME
                """;

        List<SystemAccount> accounts = SystemAccount.scan("pkg", "postinst", script, log);

        assertThat(accounts)
                .extracting(a -> a.kind() + " " + a.name())
                .containsExactly(
                        "GROUP docker", "USER foo", "USER bar", "GROUP render", "GROUP shadow", "MEMBERSHIP foo");
        SystemAccount foo = accounts.get(1);
        assertThat(foo.ownGroup()).isTrue();
        assertThat(foo.createHome()).isTrue();
        assertThat(foo.gecos()).isEqualTo("Foo daemon");
        assertThat(accounts.get(2).groupName()).isEqualTo("nogroup");
        assertThat(accounts.get(2).ownGroup()).isFalse();
        assertThat(accounts.get(4).id()).isEqualTo(42);
        assertThat(accounts.get(5).groupName()).isEqualTo("docker");
        assertThat(log.warnings).singleElement().satisfies(w -> assertThat(w).contains("pkg postinst line 8"));
    }
}
