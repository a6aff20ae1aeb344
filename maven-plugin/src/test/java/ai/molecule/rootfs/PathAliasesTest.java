package ai.molecule.rootfs;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PathAliasesTest {
    private final PathAliases aliases = new PathAliases(PathAliases.MERGED_USR);

    @Test
    void pathsUnderBinAndLibMoveToUsr() {
        assertThat(aliases.canonical("/bin/bash")).isEqualTo("/usr/bin/bash");
        assertThat(aliases.canonical("/lib64/ld-linux-x86-64.so.2")).isEqualTo("/usr/lib64/ld-linux-x86-64.so.2");
        assertThat(aliases.canonical("/lib/x86_64-linux-gnu/libc.so.6"))
                .isEqualTo("/usr/lib/x86_64-linux-gnu/libc.so.6");
        assertThat(aliases.canonical("/libexec/x")).isEqualTo("/libexec/x");
        assertThat(aliases.canonical("/usr/bin/ls")).isEqualTo("/usr/bin/ls");
        assertThat(aliases.used()).containsExactlyInAnyOrder("/bin", "/lib64", "/lib");
    }

    @Test
    void aRelativeLinkIntoUsrIsRewrittenWhenItMoves() {
        // In /bin, ../usr/bin/x meant /usr/bin/x; from /usr/bin the same text would mean /usr/usr/bin/x.
        assertThat(aliases.relink("/bin/x", "../usr/bin/x")).isEqualTo("x");
        assertThat(aliases.relink("/sbin/tool", "../usr/lib/tool/tool")).isEqualTo("../lib/tool/tool");
    }

    @Test
    void linksThatStillResolveAreKeptAsWritten() {
        assertThat(aliases.relink("/bin/rbash", "bash")).isEqualTo("bash");
        assertThat(aliases.relink("/lib64/ld-linux-x86-64.so.2", "/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2"))
                .isEqualTo("/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2");
        assertThat(aliases.relink("/usr/bin/pager", "../../bin/more")).isEqualTo("../../bin/more");
        assertThat(aliases.relink("/etc/os-release", "../usr/lib/os-release")).isEqualTo("../usr/lib/os-release");
    }

    @Test
    void relativePathsBetweenDirectories() {
        assertThat(PathAliases.relative("/usr/bin", "/usr/bin/x")).isEqualTo("x");
        assertThat(PathAliases.relative("/usr/sbin", "/usr/lib/a/b")).isEqualTo("../lib/a/b");
        assertThat(PathAliases.relative("/a", "/a")).isEqualTo(".");
    }
}
