package ai.molecule.rootfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DebArchiveTest {
    @TempDir
    Path dir;

    private TestDeb sudoLike() {
        return TestDeb.named("sudo-like")
                .field("Multi-Arch", "foreign")
                .file("/usr/bin/sudo", "#!/bin/sh\necho sudo\n", 04755)
                .file("/usr/bin/first", "same inode\n", 0755)
                .hardlink("/usr/bin/second", "/usr/bin/first")
                .symlink("/usr/bin/sudoedit", "sudo")
                .dir("/var/tmp-like", 01777)
                .conffile("/etc/sudo-like.conf", "Defaults env_reset\n")
                .postinst("#!/bin/sh\nset -e\nchmod 440 /etc/sudo-like.conf\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"xz", "gzip", "zstd", "none"})
    void everyCompressionDpkgDebWritesIsReadable(String compression) throws Exception {
        Path deb = sudoLike().build(dir, compression);

        DebArchive archive = DebArchive.open(deb);

        assertThat(archive.name()).isEqualTo("sudo-like");
        assertThat(archive.version()).isEqualTo("1.0");
        assertThat(archive.architecture()).isEqualTo("amd64");
        assertThat(archive.control().get("Description")).startsWith("test package sudo-like\nbuilt by a test.");
        assertThat(entries(archive)).extracting(DebEntry::path).contains("/", "/usr/bin/sudo", "/etc/sudo-like.conf");
    }

    @Test
    void entriesKeepSetuidStickyHardlinksAndSymlinks() throws Exception {
        DebArchive archive = DebArchive.open(sudoLike().build(dir));

        Map<String, DebEntry> entries = new LinkedHashMap<>();
        for (DebEntry entry : entries(archive)) {
            entries.put(entry.path(), entry);
        }

        assertThat(entries.get("/usr/bin/sudo").mode()).isEqualTo(04755);
        assertThat(entries.get("/usr/bin/sudo").type()).isEqualTo(DebEntry.Type.FILE);
        assertThat(entries.get("/usr/bin/sudo").userName()).isEqualTo("root");
        assertThat(entries.get("/var/tmp-like").mode()).isEqualTo(01777);
        assertThat(entries.get("/var/tmp-like").type()).isEqualTo(DebEntry.Type.DIRECTORY);
        assertThat(entries.get("/usr/bin/sudoedit").type()).isEqualTo(DebEntry.Type.SYMLINK);
        assertThat(entries.get("/usr/bin/sudoedit").linkTarget()).isEqualTo("sudo");
        DebEntry first = entries.get("/usr/bin/first");
        DebEntry second = entries.get("/usr/bin/second");
        // dpkg-deb stores the later of two hardlinked names as a link to the earlier one.
        assertThat(List.of(first.type(), second.type()))
                .containsExactlyInAnyOrder(DebEntry.Type.FILE, DebEntry.Type.HARDLINK);
        DebEntry link = first.type() == DebEntry.Type.HARDLINK ? first : second;
        assertThat(link.linkTarget()).isIn("/usr/bin/first", "/usr/bin/second").isNotEqualTo(link.path());
    }

    @Test
    void controlPartHoldsConffilesScriptsAndMd5sums() throws Exception {
        DebArchive archive = DebArchive.open(sudoLike().build(dir));

        assertThat(archive.conffiles()).containsExactly("/etc/sudo-like.conf");
        assertThat(archive.maintainerScript("postinst"))
                .hasValueSatisfying(text -> assertThat(text).contains("chmod 440 /etc/sudo-like.conf"));
        for (String absent : List.of("preinst", "prerm", "postrm", "config")) {
            assertThat(archive.maintainerScript(absent)).as(absent).isEmpty();
        }
        assertThat(archive.controlMembers().get("postinst").mode()).isEqualTo(0755);
        assertThat(archive.multiArchSame()).isFalse();
        assertThat(archive.dpkgName()).isEqualTo("sudo-like");
    }

    @Test
    void fileContentStreamsWhileIterating() throws Exception {
        DebArchive archive = DebArchive.open(sudoLike().build(dir));

        String content = null;
        try (DebArchive.Data data = archive.openData()) {
            for (DebEntry entry; (entry = data.next()) != null; ) {
                if (entry.path().equals("/usr/bin/sudo")) {
                    content = new String(data.content().readNBytes((int) entry.size()), StandardCharsets.UTF_8);
                }
            }
        }

        assertThat(content).isEqualTo("#!/bin/sh\necho sudo\n");
    }

    @Test
    void multiArchSamePackagesAreNamedWithTheirArchitecture() throws Exception {
        DebArchive archive = DebArchive.open(
                TestDeb.named("libfoo1").field("Multi-Arch", "same").build(dir));

        assertThat(archive.dpkgName()).isEqualTo("libfoo1:amd64");
    }

    @Test
    void aTextFileIsRejectedNamingItAndTheProblem() throws IOException {
        Path notADeb = Files.writeString(dir.resolve("notes.deb"), "just text, not an ar archive\n");

        assertThatThrownBy(() -> DebArchive.open(notADeb))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(notADeb.toString())
                .hasMessageContaining("ar archive");
    }

    @Test
    void aTruncatedDebIsRejectedNamingIt() throws Exception {
        Path deb = sudoLike().build(dir);
        byte[] bytes = Files.readAllBytes(deb);
        Path truncated = Files.write(dir.resolve("truncated.deb"), Arrays.copyOf(bytes, bytes.length / 2));

        assertThatThrownBy(() -> entries(DebArchive.open(truncated)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(truncated.toString());
    }

    @Test
    void anArchiveWithoutDebianBinaryIsNotAPackage() throws Exception {
        Path ar = dir.resolve("other.deb");
        Path member = Files.writeString(dir.resolve("hello.txt"), "hi\n");
        TestDeb.run(List.of("ar", "rc", ar.toString(), member.toString()));

        assertThatThrownBy(() -> DebArchive.open(ar))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(ar.toString())
                .hasMessageContaining("'hello.txt', not 'debian-binary'");
    }

    static List<DebEntry> entries(DebArchive archive) throws IOException {
        List<DebEntry> entries = new ArrayList<>();
        try (DebArchive.Data data = archive.openData()) {
            for (DebEntry entry; (entry = data.next()) != null; ) {
                entries.add(entry);
            }
        }
        return entries;
    }
}
