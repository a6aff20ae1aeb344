package ai.molecule.rootfs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BaseSystemTest {
    @TempDir
    Path dir;

    @Test
    void upperLayersReplaceDeleteAndHideLowerOnes() throws IOException {
        Path bottom = layer("bottom.tar", false, tar -> {
            symlink(tar, "bin", "usr/bin");
            file(tar, "etc/passwd", "root:x:0:0:root:/root:/bin/bash\n");
            file(tar, "etc/group", "root:x:0:\n");
            file(tar, "etc/gshadow", "root:*::\n");
            file(tar, "var/lib/dpkg/status", status("bash", "5.2.15-2+b2"));
            file(tar, "var/lib/dpkg/alternatives/awk", "auto\n/usr/bin/awk\n\n/usr/bin/mawk\n5\n\n");
            file(tar, "var/lib/dpkg/alternatives/pager", "auto\n/usr/bin/pager\n\n/bin/more\n50\n\n");
            symlink(tar, "etc/alternatives/awk", "/usr/bin/mawk");
        });
        Path top = layer("top.tar.gz", true, tar -> {
            file(tar, "etc/passwd", "root:x:0:0:root:/root:/bin/bash\nagent:x:1000:1000::/home/agent:/bin/bash\n");
            file(tar, "etc/.wh.gshadow", "");
            file(tar, "var/lib/dpkg/status", status("bash", "5.2.15-2+b2") + status("sudo", "1.9.13p3-1"));
            file(tar, "var/lib/dpkg/alternatives/.wh..wh..opq", "");
            file(tar, "var/lib/dpkg/alternatives/pager", "auto\n/usr/bin/pager\n\n/usr/bin/less\n77\n\n");
        });

        BaseSystem base = BaseSystem.read(List.of(bottom, top));

        assertThat(base.passwd()).contains("agent:x:1000");
        assertThat(base.group()).isEqualTo("root:x:0:\n");
        assertThat(base.gshadow()).as("deleted by .wh.gshadow").isEmpty();
        assertThat(base.shadow()).as("never there").isEmpty();
        assertThat(base.installed()).containsExactly(Map.entry("bash", "5.2.15-2+b2"), Map.entry("sudo", "1.9.13p3-1"));
        assertThat(base.filesUnder(BaseSystem.ALTERNATIVES_STATE))
                .as("the opaque marker hides awk; the top layer's pager stays")
                .containsOnlyKeys("pager");
        assertThat(base.links()).containsEntry("/etc/alternatives/awk", "/usr/bin/mawk");
        assertThat(base.splitUsr()).isFalse();
    }

    @Test
    void aBaseWithARealBinDirectoryIsSplitUsr() throws IOException {
        Path old = layer("old.tar", false, tar -> {
            TarArchiveEntry bin = new TarArchiveEntry("bin/", TarConstants.LF_DIR);
            tar.putArchiveEntry(bin);
            tar.closeArchiveEntry();
        });

        assertThat(BaseSystem.read(List.of(old)).splitUsr()).isTrue();
        assertThat(BaseSystem.EMPTY.installed()).isEmpty();
    }

    private static String status(String name, String version) {
        return "Package: " + name + "\nStatus: install ok installed\nArchitecture: amd64\nVersion: " + version + "\n\n";
    }

    private interface Content {
        void write(TarArchiveOutputStream tar) throws IOException;
    }

    private Path layer(String name, boolean gzip, Content content) throws IOException {
        Path path = dir.resolve(name);
        try (OutputStream file = Files.newOutputStream(path);
                OutputStream out = gzip ? new GZIPOutputStream(file) : file;
                TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            content.write(tar);
            tar.finish();
        }
        return path;
    }

    private static void file(TarArchiveOutputStream tar, String name, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setSize(bytes.length);
        tar.putArchiveEntry(entry);
        tar.write(bytes);
        tar.closeArchiveEntry();
    }

    private static void symlink(TarArchiveOutputStream tar, String name, String target) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name, TarConstants.LF_SYMLINK);
        entry.setLinkName(target);
        tar.putArchiveEntry(entry);
        tar.closeArchiveEntry();
    }
}
