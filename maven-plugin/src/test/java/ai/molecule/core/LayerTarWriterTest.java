package ai.molecule.core;

import static org.assertj.core.api.Assertions.assertThat;

import ai.molecule.testing.TarEntries;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LayerTarWriterTest {
    private static final Instant MTIME = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path dir;

    @Test
    void writesModesOwnersLinksAndOneMtime() throws IOException {
        Path sudo = Files.writeString(dir.resolve("sudo"), "#!/bin/sh\n");
        Path token = Files.writeString(dir.resolve("token"), "t");
        LayerSpec layer = new LayerSpec(
                "os",
                List.of(
                        LayerEntry.file("/usr/bin/sudo", sudo, 04755, 0, 0),
                        LayerEntry.directory("/usr/bin", 0755, 0, 0),
                        LayerEntry.directory("/tmp", 01777, 0, 0),
                        LayerEntry.file("/configs/.auth_token", token, 0600, 1000, 1000),
                        LayerEntry.symlink("/bin/sh", "dash", 0, 0)),
                new TreeMap<>());

        Map<String, TarArchiveEntry> entries = TarEntries.read(new ByteArrayInputStream(write(layer)));

        assertThat(entries).containsOnlyKeys("bin/sh", "configs/.auth_token", "tmp/", "usr/bin/", "usr/bin/sudo");
        assertThat(entries.keySet())
                .containsExactly("bin/sh", "configs/.auth_token", "tmp/", "usr/bin/", "usr/bin/sudo");
        assertThat(entries.get("usr/bin/sudo").getMode() & 07777).isEqualTo(04755);
        assertThat(entries.get("tmp/").getMode() & 07777).isEqualTo(01777);
        assertThat(entries.get("tmp/").isDirectory()).isTrue();
        assertThat(entries.get("configs/.auth_token").getLongUserId()).isEqualTo(1000);
        assertThat(entries.get("configs/.auth_token").getLongGroupId()).isEqualTo(1000);
        assertThat(entries.get("configs/.auth_token").getUserName()).isEmpty();
        assertThat(entries.get("bin/sh").isSymbolicLink()).isTrue();
        assertThat(entries.get("bin/sh").getLinkName()).isEqualTo("dash");
        assertThat(entries.values())
                .allSatisfy(e -> assertThat(e.getModTime().toInstant()).isEqualTo(MTIME));
    }

    @Test
    void hardlinkIsWrittenAsALinkToTheEarlierEntryWithoutContent() throws IOException {
        Path binary = Files.writeString(dir.resolve("claude"), "native binary");
        LayerSpec layer = new LayerSpec(
                "npm",
                List.of(
                        LayerEntry.file("/usr/local/bin/claude", binary, 0755, 0, 0),
                        LayerEntry.hardlink("/usr/local/bin/claude.exe", "/usr/local/bin/claude", 0755, 0, 0)),
                new TreeMap<>());

        Map<String, TarArchiveEntry> entries = TarEntries.read(new ByteArrayInputStream(write(layer)));

        TarArchiveEntry link = entries.get("usr/local/bin/claude.exe");
        assertThat(link.isLink()).isTrue();
        assertThat(link.getLinkName()).isEqualTo("usr/local/bin/claude");
        assertThat(link.getSize()).isZero();
        assertThat(entries.get("usr/local/bin/claude").getSize()).isEqualTo("native binary".length());
    }

    @Test
    void sameInputsGiveSameBytes() throws IOException {
        Path file = Files.writeString(dir.resolve("a"), "content");
        Path longName = Files.writeString(dir.resolve("b"), "x");
        LayerSpec layer = new LayerSpec(
                "files",
                List.of(
                        LayerEntry.file("/opt/a", file, 0644, 0, 0),
                        LayerEntry.file("/opt/" + "n".repeat(150) + "/ü-file", longName, 0644, 0, 0)),
                new TreeMap<>());

        assertThat(write(layer)).isEqualTo(write(layer));
    }

    private static byte[] write(LayerSpec layer) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LayerTarWriter.write(layer, MTIME, out);
        return out.toByteArray();
    }
}
