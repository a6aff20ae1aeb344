package ai.molecule.rootfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.molecule.image.Account;
import ai.molecule.image.Group;
import ai.molecule.testing.RecordingLog;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RootfsAssemblerTest {
    static final String PASSWD_MASTER = """
            root:*:0:0:root:/root:/bin/bash
            daemon:*:1:1:daemon:/usr/sbin:/usr/sbin/nologin
            _apt:*:42:65534::/nonexistent:/usr/sbin/nologin
            nobody:*:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
            """;
    static final String GROUP_MASTER = """
            root:*:0:
            daemon:*:1:
            mail:*:8:
            shadow:*:42:
            utmp:*:43:
            users:*:100:
            nogroup:*:65534:
            """;
    static final Instant MTIME_2026 = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path dir;

    private final RecordingLog log = new RecordingLog();

    private Path basePasswd() throws Exception {
        return TestDeb.named("base-passwd")
                .file("/usr/share/base-passwd/passwd.master", PASSWD_MASTER, 0644)
                .file("/usr/share/base-passwd/group.master", GROUP_MASTER, 0644)
                .build(dir);
    }

    private RootfsAssembler.Builder assembler(Path... debs) {
        return RootfsAssembler.builder()
                .packages(List.of(debs))
                .mtime(MTIME_2026)
                .log(log);
    }

    @Test
    void sudoKeepsItsSetuidBitAndRootOwner() throws Exception {
        Path sudo = TestDeb.named("sudo")
                .file("/usr/bin/sudo", "binary\n", 04755)
                .file("/etc/sudoers", "root ALL=(ALL:ALL) ALL\n", 0644)
                .postinst("#!/bin/sh\nset -e\nif [ -f /etc/sudoers ];then\n    chown root:root /etc/sudoers\n"
                        + "    chmod 440 /etc/sudoers\nfi\n")
                .build(dir);

        Layer layer = Layer.assemble(assembler(basePasswd(), sudo).build());

        assertThat(layer.mode("/usr/bin/sudo")).isEqualTo(04755);
        assertThat(layer.owner("/usr/bin/sudo")).isEqualTo("0:0");
        assertThat(layer.mode("/etc/sudoers")).as("sudo's postinst chmod 440").isEqualTo(0440);
    }

    @Test
    void hardlinksPointAtTheFirstPathInLayerOrder() throws Exception {
        Path perl = TestDeb.named("perl-like")
                .file("/usr/bin/perl5.36", "interpreter\n", 0755)
                .hardlink("/usr/bin/perl", "/usr/bin/perl5.36")
                .hardlink("/bin/perl-compat", "/usr/bin/perl5.36")
                .build(dir);

        Layer layer = Layer.assemble(assembler(basePasswd(), perl).build());

        TarArchiveEntry first = layer.entry("/usr/bin/perl");
        assertThat(first.isFile()).isTrue();
        assertThat(first.getSize()).isEqualTo("interpreter\n".length());
        for (String other : List.of("/usr/bin/perl-compat", "/usr/bin/perl5.36")) {
            TarArchiveEntry link = layer.entry(other);
            assertThat(link.isLink()).as(other + " is a hardlink").isTrue();
            assertThat(link.getLinkName()).isEqualTo("usr/bin/perl");
            assertThat(layer.paths().indexOf(other)).isGreaterThan(layer.paths().indexOf("/usr/bin/perl"));
        }
    }

    @Test
    void entriesAreInPathOrderWithParentsFirstAndSharedDirectoriesOnce() throws Exception {
        Path a = TestDeb.named("a")
                .file("/usr/share/doc/a/copyright", "a\n", 0644)
                .build(dir);
        Path b = TestDeb.named("b")
                .file("/usr/share/doc/b/copyright", "b\n", 0644)
                .file("/usr/share/doc-base/b", "b\n", 0644)
                .build(dir);

        Layer layer = Layer.assemble(assembler(basePasswd(), a, b).build());

        List<String> paths = layer.paths();
        assertThat(paths).doesNotHaveDuplicates();
        assertThat(paths)
                .containsSubsequence("/usr/share/doc", "/usr/share/doc/a", "/usr/share/doc/b", "/usr/share/doc-base");
        for (String path : paths) {
            String parent = PathAliases.parent(path);
            if (!parent.equals("/")) {
                assertThat(paths.indexOf(parent)).as("parent of " + path).isBetween(0, paths.indexOf(path) - 1);
            }
        }
        assertThat(layer.entries())
                .allSatisfy(e -> assertThat(e.getModTime().toInstant()).isEqualTo(MTIME_2026))
                .allSatisfy(e -> assertThat(e.getUserName()).isEmpty());
    }

    @Test
    void mergedUsrMovesBinAndLibEntriesAndLinksTheOldPlaces() throws Exception {
        Path libc = TestDeb.named("libc-like")
                .file("/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2", "loader\n", 0755)
                .symlink("/lib64/ld-linux-x86-64.so.2", "/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2")
                .file("/bin/tool", "tool\n", 0755)
                .symlink("/bin/up", "../usr/bin/real")
                .file("/usr/bin/real", "real\n", 0755)
                .symlink("/sbin/relative", "../bin/tool")
                .build(dir);

        Layer layer = Layer.assemble(assembler(basePasswd(), libc).build());

        assertThat(layer.entry("/bin").getLinkName()).isEqualTo("usr/bin");
        assertThat(layer.entry("/sbin").getLinkName()).isEqualTo("usr/sbin");
        assertThat(layer.entry("/lib").getLinkName()).isEqualTo("usr/lib");
        assertThat(layer.entry("/lib64").getLinkName()).isEqualTo("usr/lib64");
        assertThat(layer.has("/lib32")).as("nothing ships in /lib32").isFalse();
        assertThat(layer.paths()).noneMatch(p -> p.startsWith("/bin/") || p.startsWith("/lib64/"));
        assertThat(layer.entry("/usr/lib64/ld-linux-x86-64.so.2").getLinkName())
                .isEqualTo("/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2");
        assertThat(layer.text("/usr/bin/tool")).isEqualTo("tool\n");
        assertThat(layer.entry("/usr/bin/up").getLinkName())
                .as("../usr/bin/real from /usr/bin")
                .isEqualTo("real");
        assertThat(layer.entry("/usr/sbin/relative").getLinkName()).isEqualTo("../bin/tool");
        assertThat(layer.text("/var/lib/dpkg/info/libc-like.list"))
                .as("dpkg records the paths as shipped, as on any merged-/usr Debian")
                .contains("/bin/tool\n", "/lib64/ld-linux-x86-64.so.2\n");
    }

    @Test
    void twoPackagesShippingOneFileDifferentlyFailNamingBoth() throws Exception {
        Path one = TestDeb.named("one").file("/usr/bin/tool", "one\n", 0755).build(dir);
        Path two = TestDeb.named("two").file("/bin/tool", "two\n", 0755).build(dir);

        assertThatThrownBy(() -> assembler(basePasswd(), one, two).build().assemble(OutputStream.nullOutputStream()))
                .isInstanceOf(RootfsException.class)
                .hasMessageContaining("two and one both ship /bin/tool (/usr/bin/tool)")
                .hasMessageContaining("neither declares Replaces");
    }

    @Test
    void aPackageThatReplacesAnotherWinsItsFiles() throws Exception {
        Path old =
                TestDeb.named("old-tools").file("/usr/bin/tool", "old\n", 0755).build(dir);
        Path successor = TestDeb.named("new-tools")
                .field("Replaces", "old-tools (<< 2)")
                .file("/usr/bin/tool", "new\n", 0755)
                .build(dir);

        Layer forward = Layer.assemble(assembler(basePasswd(), old, successor).build());
        Layer backward = Layer.assemble(assembler(basePasswd(), successor, old).build());

        assertThat(forward.text("/usr/bin/tool")).isEqualTo("new\n");
        assertThat(backward.text("/usr/bin/tool"))
                .as("Replaces wins whatever the order")
                .isEqualTo("new\n");
    }

    @Test
    void anIdenticalFileInTwoPackagesIsShared() throws Exception {
        Path one = TestDeb.named("libfoo1-amd64")
                .file("/usr/share/foo/data", "same\n", 0644)
                .build(dir);
        Path two = TestDeb.named("libfoo1-i386")
                .file("/usr/share/foo/data", "same\n", 0644)
                .build(dir);

        Layer layer = Layer.assemble(assembler(basePasswd(), one, two).build());

        assertThat(layer.text("/usr/share/foo/data")).isEqualTo("same\n");
    }

    @Test
    void awkPointsAtMawkThroughEtcAlternativesWithDpkgState() throws Exception {
        Path mawk = TestDeb.named("mawk")
                .file("/usr/bin/mawk", "mawk\n", 0755)
                .file("/usr/share/man/man1/mawk.1.gz", "man\n", 0644)
                .postinst(MaintainerScriptReadingTest.MAWK_POSTINST)
                .build(dir);

        Layer layer = Layer.assemble(assembler(basePasswd(), mawk).build());

        assertThat(layer.entry("/usr/bin/awk").getLinkName()).isEqualTo("/etc/alternatives/awk");
        assertThat(layer.entry("/etc/alternatives/awk").getLinkName()).isEqualTo("/usr/bin/mawk");
        assertThat(layer.entry("/usr/bin/nawk").getLinkName()).isEqualTo("/etc/alternatives/nawk");
        assertThat(layer.entry("/etc/alternatives/nawk").getLinkName()).isEqualTo("/usr/bin/mawk");
        assertThat(layer.entry("/etc/alternatives/awk.1.gz").getLinkName()).isEqualTo("/usr/share/man/man1/mawk.1.gz");
        assertThat(layer.has("/etc/alternatives/nawk.1.gz"))
                .as("mawk ships no nawk.1.gz... it does via mawk.1.gz")
                .isTrue();
        assertThat(layer.text("/var/lib/dpkg/alternatives/awk")).isEqualTo("""
                        auto
                        /usr/bin/awk
                        awk.1.gz
                        /usr/share/man/man1/awk.1.gz
                        nawk
                        /usr/bin/nawk
                        nawk.1.gz
                        /usr/share/man/man1/nawk.1.gz

                        /usr/bin/mawk
                        5
                        /usr/share/man/man1/mawk.1.gz
                        /usr/bin/mawk
                        /usr/share/man/man1/mawk.1.gz

                        """);
        assertThat(layer.result().alternatives()).containsEntry("awk", "/usr/bin/mawk");
    }

    @Test
    void theHighestPriorityWinsAndTiesGoToTheFirstPath() throws Exception {
        Path vim = TestDeb.named("vim-like")
                .file("/usr/bin/vim.basic", "vim\n", 0755)
                .postinst("update-alternatives --install /usr/bin/editor editor /usr/bin/vim.basic 30 \\\n"
                        + "  --slave /usr/bin/ex ex /usr/bin/vim.basic\n")
                .build(dir);
        Path nano = TestDeb.named("nano-like")
                .file("/usr/bin/nano", "nano\n", 0755)
                .postinst("update-alternatives --install /usr/bin/editor editor /usr/bin/nano 40\n"
                        + "update-alternatives --install /usr/bin/pager pager /usr/bin/nano 10\n"
                        + "update-alternatives --install /usr/bin/gone gone /usr/bin/not-shipped 99\n")
                .build(dir);
        Path less = TestDeb.named("less-like")
                .file("/usr/bin/less", "less\n", 0755)
                .postinst("update-alternatives --install /usr/bin/pager pager /usr/bin/less 10\n")
                .build(dir);

        Layer layer = Layer.assemble(assembler(basePasswd(), vim, nano, less).build());

        assertThat(layer.entry("/etc/alternatives/editor").getLinkName()).isEqualTo("/usr/bin/nano");
        assertThat(layer.has("/etc/alternatives/ex"))
                .as("nano provides no ex slave")
                .isFalse();
        assertThat(layer.entry("/etc/alternatives/pager").getLinkName()).isEqualTo("/usr/bin/less");
        assertThat(layer.has("/usr/bin/gone")).isFalse();
        assertThat(log.warnings).anySatisfy(w -> assertThat(w).contains("/usr/bin/not-shipped"));
        assertThat(layer.text("/var/lib/dpkg/alternatives/editor"))
                .isEqualTo("auto\n/usr/bin/editor\nex\n/usr/bin/ex\n\n/usr/bin/nano\n40\n\n/usr/bin/vim.basic\n30\n"
                        + "/usr/bin/vim.basic\n\n");
    }

    @Test
    void accountsAreMasterThenSystemThenDeclaredWithLockedShadow() throws Exception {
        Path daemons = TestDeb.named("daemons")
                .dir("/etc/skel", 0755)
                .file("/etc/skel/.bashrc", "# bashrc\n", 0644)
                .postinst("""
                        #!/bin/sh
                        set -e
                        adduser --system --group --home /var/lib/zeta zeta
                        adduser --system --home /nonexistent --no-create-home alpha
                        addgroup --system docker
                        addgroup --system render
                        """)
                .build(dir);

        Layer layer = Layer.assemble(assembler(basePasswd(), daemons)
                .groups(List.of(new Group("docker", 999)))
                .accounts(List.of(new Account("agent", 1000, 1000, "/home/agent", "/bin/bash", List.of("docker"))))
                .build());

        assertThat(layer.text("/etc/passwd")).isEqualTo("""
                        root:x:0:0:root:/root:/bin/bash
                        daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin
                        _apt:x:42:65534::/nonexistent:/usr/sbin/nologin
                        nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
                        alpha:x:100:65534::/nonexistent:/usr/sbin/nologin
                        zeta:x:101:102::/var/lib/zeta:/usr/sbin/nologin
                        agent:x:1000:1000::/home/agent:/bin/bash
                        """);
        assertThat(layer.text("/etc/group")).isEqualTo("""
                        root:x:0:
                        daemon:x:1:
                        mail:x:8:
                        shadow:x:42:
                        utmp:x:43:
                        users:x:100:
                        nogroup:x:65534:
                        render:x:101:
                        zeta:x:102:
                        docker:x:999:agent
                        agent:x:1000:
                        """);
        long days = MTIME_2026.getEpochSecond() / 86400;
        assertThat(layer.text("/etc/shadow"))
                .startsWith("root:*:" + days + ":0:99999:7:::\n")
                .contains("agent:*:" + days + ":0:99999:7:::\n");
        assertThat(layer.text("/etc/gshadow"))
                .as("master groups keep '*', groups created like groupadd's get '!'")
                .contains("root:*::\n", "render:!::\n", "docker:!::agent\n", "agent:!::\n");
        assertThat(layer.text("/etc/shadow")).contains("zeta:!:" + days + ":0:99999:7:::\n");
        assertThat(layer.mode("/etc/shadow")).isEqualTo(0640);
        assertThat(layer.owner("/etc/shadow")).isEqualTo("0:42");
        assertThat(layer.owner("/etc/gshadow")).isEqualTo("0:42");
        assertThat(layer.mode("/home/agent")).isEqualTo(0755);
        assertThat(layer.owner("/home/agent")).isEqualTo("1000:1000");
        assertThat(layer.owner("/home/agent/.bashrc")).isEqualTo("1000:1000");
        assertThat(layer.owner("/var/lib/zeta")).isEqualTo("101:102");
        assertThat(layer.mode("/root")).isEqualTo(0700);
        assertThat(layer.mode("/tmp")).isEqualTo(01777);
        assertThat(layer.mode("/var/tmp")).isEqualTo(01777);
        assertThat(layer.mode("/home")).isEqualTo(0755);
    }

    @Test
    void atTheEpochTheShadowLastChangeIsEmptySoPamDoesNotDemandANewPassword() throws Exception {
        Layer layer = Layer.assemble(assembler(basePasswd())
                .mtime(Instant.EPOCH.plusSeconds(1))
                .accounts(List.of(new Account("agent", 1000, 1000, "/home/agent", "/bin/bash", List.of())))
                .build());

        assertThat(layer.text("/etc/shadow"))
                .contains("agent:*::0:99999:7:::\n")
                .doesNotContain(":*:0:");
    }

    @Test
    void withoutBasePasswdOrABaseThereIsNoPasswdToStartFrom() throws Exception {
        Path tool = TestDeb.named("tool").file("/usr/bin/tool", "t\n", 0755).build(dir);

        assertThatThrownBy(() -> assembler(tool).build().assemble(OutputStream.nullOutputStream()))
                .isInstanceOf(RootfsException.class)
                .hasMessageContaining("base-passwd is not among the packages and the base image has none");
    }

    @Test
    void declaredAccountsThatCannotBeMadeAreAllListed() throws Exception {
        assertThatThrownBy(() -> assembler(basePasswd())
                        .groups(List.of(new Group("docker", 42)))
                        .accounts(List.of(
                                new Account("agent", 65534, 1000, "/home/agent", "/bin/bash", List.of("wheel"))))
                        .build()
                        .assemble(OutputStream.nullOutputStream()))
                .isInstanceOf(RootfsException.class)
                .hasMessageContaining("3 problems")
                .hasMessageContaining("1. Declared group docker wants gid 42, but group shadow already has it")
                .hasMessageContaining("2. Declared account agent wants uid 65534, but user nobody already has it")
                .hasMessageContaining("supplementary group wheel");
    }

    @Test
    void binShIsDashWhenNothingShipsItWithDashsDiversions() throws Exception {
        Path dash = TestDeb.named("dash")
                .file("/bin/dash", "dash\n", 0755)
                .file("/usr/share/man/man1/dash.1.gz", "man\n", 0644)
                .build(dir);

        Layer layer = Layer.assemble(assembler(basePasswd(), dash).build());

        assertThat(layer.entry("/usr/bin/sh").getLinkName()).isEqualTo("dash");
        assertThat(layer.entry("/usr/share/man/man1/sh.1.gz").getLinkName()).isEqualTo("dash.1.gz");
        assertThat(layer.text("/var/lib/dpkg/diversions"))
                .isEqualTo("/usr/share/man/man1/sh.1.gz\n/usr/share/man/man1/sh.distrib.1.gz\ndash\n"
                        + "/bin/sh\n/bin/sh.distrib\ndash\n");
    }

    @Test
    void tzdataAndPamModulesLeaveTheirNonInteractiveDefaults() throws Exception {
        Path tzdata = TestDeb.named("tzdata")
                .file("/usr/share/zoneinfo/Etc/UTC", "TZif\n", 0644)
                .build(dir);
        Path pamModules =
                TestDeb.named("libpam-modules").dir("/etc/security", 0755).build(dir);

        Layer layer = Layer.assemble(assembler(basePasswd(), tzdata, pamModules).build());

        assertThat(layer.entry("/etc/localtime").getLinkName()).isEqualTo("/usr/share/zoneinfo/Etc/UTC");
        assertThat(layer.text("/etc/timezone")).isEqualTo("Etc/UTC\n");
        assertThat(layer.mode("/etc/security/opasswd")).isEqualTo(0600);
        assertThat(layer.text("/etc/environment")).isEmpty();
    }

    @Test
    void dpkgStatusAndInfoFilesDescribeEveryPackage() throws Exception {
        Path tool = TestDeb.named("tool")
                .field("Depends", "libfoo1")
                .file("/usr/bin/tool", "tool\n", 0755)
                .conffile("/etc/tool.conf", "setting=1\n")
                .postinst("#!/bin/sh\necho configured\n")
                .build(dir);
        Path lib = TestDeb.named("libfoo1")
                .field("Multi-Arch", "same")
                .file("/usr/lib/x86_64-linux-gnu/libfoo.so.1", "elf\n", 0644)
                .script("triggers", "activate-noawait ldconfig\n")
                .build(dir);
        Path libcBin = TestDeb.named("libc-bin")
                .field("Multi-Arch", "foreign")
                .file("/usr/share/libc-bin/nsswitch.conf", "passwd: files\n", 0644)
                .script("triggers", "interest-await ldconfig\ninterest-noawait /usr/lib/x86_64-linux-gnu/gconv\n")
                .build(dir);

        Layer layer = Layer.assemble(assembler(tool, basePasswd(), lib, libcBin).build());

        String status = layer.text("/var/lib/dpkg/status");
        assertThat(status)
                .containsSubsequence(
                        "Package: base-passwd\n", "Package: libc-bin\n", "Package: libfoo1\n", "Package: tool\n")
                .contains("""
                        Package: tool
                        Status: install ok installed
                        Maintainer: Molecule Tests <tests@molecule.invalid>
                        Architecture: amd64
                        Version: 1.0
                        Depends: libfoo1
                        Conffiles:
                         /etc/tool.conf %s
                        Description: test package tool
                         built by a test.
                         .
                         Second paragraph.

                        """.formatted(md5("setting=1\n")))
                .endsWith("\n\n");
        assertThat(layer.text("/var/lib/dpkg/info/tool.list"))
                .isEqualTo("/.\n/etc\n/etc/tool.conf\n/usr\n/usr/bin\n/usr/bin/tool\n");
        assertThat(layer.text("/var/lib/dpkg/info/tool.md5sums")).contains(md5("tool\n") + "  usr/bin/tool\n");
        assertThat(layer.text("/var/lib/dpkg/info/tool.conffiles")).isEqualTo("/etc/tool.conf\n");
        assertThat(layer.text("/var/lib/dpkg/info/tool.postinst")).isEqualTo("#!/bin/sh\necho configured\n");
        assertThat(layer.mode("/var/lib/dpkg/info/tool.postinst")).isEqualTo(0755);
        assertThat(layer.has("/var/lib/dpkg/info/libfoo1:amd64.list")).isTrue();
        assertThat(layer.has("/var/lib/dpkg/info/libfoo1:amd64.triggers")).isTrue();
        assertThat(layer.text("/var/lib/dpkg/triggers/ldconfig")).isEqualTo("libc-bin\n");
        assertThat(layer.text("/var/lib/dpkg/triggers/File"))
                .isEqualTo("/usr/lib/x86_64-linux-gnu/gconv libc-bin/noawait\n");
        assertThat(layer.text("/var/lib/dpkg/available")).isEmpty();
        assertThat(layer.has("/var/lib/dpkg/updates")).isTrue();
        assertThat(layer.text("/etc/nsswitch.conf"))
                .as("libc-bin's postinst default")
                .isEqualTo("passwd: files\n");
    }

    @Test
    void aptSourcesPointAtTheArchiveWhenAptIsInstalled() throws Exception {
        Path apt = TestDeb.named("apt").file("/usr/bin/apt-get", "apt\n", 0755).build(dir);
        Path keyring = TestDeb.named("debian-archive-keyring")
                .file("/usr/share/keyrings/debian-archive-keyring.gpg", "keys\n", 0644)
                .build(dir);

        Layer layer = Layer.assemble(assembler(basePasswd(), apt, keyring)
                .aptSources(new AptSources(
                        URI.create("http://deb.debian.org/debian/"),
                        URI.create("http://deb.debian.org/debian-security/"),
                        "bookworm",
                        List.of("main", "contrib")))
                .build());

        assertThat(layer.text("/etc/apt/sources.list.d/debian.sources")).isEqualTo("""
                        Types: deb
                        URIs: http://deb.debian.org/debian
                        Suites: bookworm bookworm-updates
                        Components: main contrib
                        Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

                        Types: deb
                        URIs: http://deb.debian.org/debian-security
                        Suites: bookworm-security
                        Components: main contrib
                        Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
                        """);
    }

    @Test
    void baseFilesPostinstDefaultsAndRuntimeLinksAreInPlace() throws Exception {
        Path baseFiles = TestDeb.named("base-files")
                .dir("/var/run", 0755)
                .dir("/var/lock", 01777)
                .dir("/run", 0755)
                .file("/usr/share/base-files/profile", "export PATH\n", 0644)
                .file("/usr/share/base-files/dot.bashrc", "# root bashrc\n", 0644)
                .file("/etc/dpkg/origins/debian", "Vendor: Debian\n", 0644)
                .build(dir);
        Path daemon =
                TestDeb.named("daemon").file("/var/run/daemon/pid", "1\n", 0644).build(dir);

        Layer layer = Layer.assemble(assembler(basePasswd(), baseFiles, daemon).build());

        assertThat(layer.entry("/var/run").getLinkName()).isEqualTo("/run");
        assertThat(layer.entry("/var/lock").getLinkName()).isEqualTo("/run/lock");
        assertThat(layer.mode("/run/lock")).isEqualTo(01777);
        assertThat(layer.text("/run/daemon/pid"))
                .as("shipped under /var/run, lands in /run")
                .isEqualTo("1\n");
        assertThat(layer.text("/etc/profile")).isEqualTo("export PATH\n");
        assertThat(layer.text("/root/.bashrc")).isEqualTo("# root bashrc\n");
        assertThat(layer.entry("/etc/dpkg/origins/default").getLinkName()).isEqualTo("debian");
        assertThat(layer.mode("/var/mail")).isEqualTo(02775);
        assertThat(layer.owner("/var/mail")).as("root:mail, resolved by name").isEqualTo("0:8");
        assertThat(layer.owner("/var/log/wtmp")).isEqualTo("0:43");
    }

    @Test
    void etcShellsListsEveryPackagedShellUnderBothPaths() throws Exception {
        Path debianutils = TestDeb.named("debianutils")
                .file("/usr/share/debianutils/shells", "# /etc/shells: valid login shells\n/bin/sh\n", 0644)
                .dir("/usr/share/debianutils/shells.d", 0755)
                .build(dir);
        Path bash = TestDeb.named("bash")
                .file("/bin/bash", "bash\n", 0755)
                .file("/usr/share/debianutils/shells.d/bash", "/bin/bash\n/bin/rbash\n", 0644)
                .build(dir);

        Layer layer = Layer.assemble(assembler(basePasswd(), debianutils, bash).build());

        assertThat(layer.text("/etc/shells"))
                .isEqualTo("# /etc/shells: valid login shells\n/bin/sh\n/usr/bin/sh\n/bin/bash\n/usr/bin/bash\n"
                        + "/bin/rbash\n/usr/bin/rbash\n");
        assertThat(layer.text("/var/lib/shells.state"))
                .isEqualTo("/bin/sh\n/usr/bin/sh\n/bin/bash\n/usr/bin/bash\n/bin/rbash\n/usr/bin/rbash\n");
    }

    @Test
    void aNewChoiceJoinsTheBaseImagesAlternativeGroup() throws Exception {
        Path gawk = TestDeb.named("gawk")
                .file("/usr/bin/gawk", "gawk\n", 0755)
                .postinst("update-alternatives --install /usr/bin/awk awk /usr/bin/gawk 10\n")
                .build(dir);
        BaseSystem base = new BaseSystem(
                Map.of(
                        "/etc/passwd",
                        "root:x:0:0:root:/root:/bin/bash\n",
                        "/etc/group",
                        "root:x:0:\n",
                        "/var/lib/dpkg/alternatives/awk",
                        "auto\n/usr/bin/awk\nnawk\n/usr/bin/nawk\n\n/usr/bin/mawk\n5\n/usr/bin/mawk\n\n"),
                Map.of("/etc/alternatives/awk", "/usr/bin/mawk"),
                false);

        Layer layer = Layer.assemble(assembler(gawk).base(base).build());

        assertThat(layer.entry("/etc/alternatives/awk").getLinkName()).isEqualTo("/usr/bin/gawk");
        assertThat(layer.text("/var/lib/dpkg/alternatives/awk"))
                .isEqualTo("auto\n/usr/bin/awk\nnawk\n/usr/bin/nawk\n\n/usr/bin/gawk\n10\n\n/usr/bin/mawk\n5\n"
                        + "/usr/bin/mawk\n\n");
    }

    @Test
    void sameInputsGiveTheSameBytes() throws Exception {
        List<Path> debs = new ArrayList<>();
        debs.add(basePasswd());
        debs.add(TestDeb.named("mawk")
                .file("/usr/bin/mawk", "mawk\n", 0755)
                .postinst(MaintainerScriptReadingTest.MAWK_POSTINST)
                .build(dir));
        debs.add(TestDeb.named("daemons")
                .file("/bin/daemon", "d\n", 04755)
                .hardlink("/bin/daemon2", "/bin/daemon")
                .postinst("addgroup --system docker\n")
                .build(dir));
        RootfsAssembler.Builder builder = assembler(debs.toArray(Path[]::new))
                .accounts(List.of(new Account("agent", 1000, 1000, "/home/agent", "/bin/bash", List.of("docker"))));

        byte[] first = Layer.assemble(builder.spoolDirectory(Files.createDirectories(dir.resolve("s1")))
                        .build())
                .bytes();
        byte[] second = Layer.assemble(builder.spoolDirectory(Files.createDirectories(dir.resolve("s2")))
                        .build())
                .bytes();

        assertThat(second).isEqualTo(first);
        assertThat(Files.list(dir.resolve("s1"))).as("spool files are removed").isEmpty();
    }

    @Test
    void aBaseImagesPackagesAndAccountsAreKeptAndItsPackagesNotWrittenAgain() throws Exception {
        Path tool = TestDeb.named("tool").file("/usr/bin/tool", "t\n", 0755).build(dir);
        Path already =
                TestDeb.named("already").file("/usr/bin/already", "a\n", 0755).build(dir);
        BaseSystem base = BaseSystem.of(Map.of(
                "/etc/passwd", "root:x:0:0:root:/root:/bin/bash\nbuilder:x:500:500::/home/builder:/bin/sh\n",
                "/etc/group", "root:x:0:\nshadow:x:42:\nbuilder:x:500:\n",
                "/etc/shadow", "root:*:19000:0:99999:7:::\nbuilder:!:19000:0:99999:7:::\n",
                "/var/lib/dpkg/status", """
                        Package: already
                        Status: install ok installed
                        Architecture: amd64
                        Version: 1.0
                        Description: in the base

                        Package: zlib1g
                        Status: install ok installed
                        Architecture: amd64
                        Version: 1:1.2.13
                        Description: compression

                        """));

        Layer layer = Layer.assemble(assembler(tool, already).base(base).build());

        assertThat(layer.has("/usr/bin/already")).isFalse();
        assertThat(layer.text("/usr/bin/tool")).isEqualTo("t\n");
        assertThat(layer.result().alreadyInBase()).containsExactly("already=1.0");
        assertThat(layer.text("/var/lib/dpkg/status"))
                .containsSubsequence("Package: already\n", "Package: tool\n", "Package: zlib1g\n");
        assertThat(layer.text("/etc/passwd")).contains("builder:x:500:500::/home/builder:/bin/sh\n");
        assertThat(layer.text("/etc/shadow")).contains("builder:!:19000:0:99999:7:::\n");
        assertThat(layer.has("/var/lib/dpkg/info/already.list")).isFalse();
    }

    @Test
    void aSplitUsrBaseIsRefused() {
        BaseSystem split = new BaseSystem(Map.of(), Map.of(), true);

        assertThatThrownBy(() -> assembler().base(split).build().assemble(OutputStream.nullOutputStream()))
                .isInstanceOf(RootfsException.class)
                .hasMessageContaining("merged-/usr base");
    }

    /** The md5 dpkg records, computed independently of the code under test. */
    private static String md5(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
