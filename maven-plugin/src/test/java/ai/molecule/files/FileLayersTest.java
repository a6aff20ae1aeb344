package ai.molecule.files;

import static org.assertj.core.api.Assertions.assertThat;

import ai.molecule.core.LayerEntry;
import ai.molecule.core.LayerSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileLayersTest {
    @TempDir
    Path src;

    @Test
    void filesLandAtTheirRelativePathWithGitStyleModes() throws Exception {
        Files.createDirectories(src.resolve("usr/local/bin"));
        Path script = Files.writeString(src.resolve("usr/local/bin/molecule-askpass"), "#!/bin/bash\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-x---"));
        Files.writeString(src.resolve("config.yaml"), "a: 1\n");
        Files.createSymbolicLink(src.resolve("usr/local/bin/askpass"), Path.of("molecule-askpass"));

        LayerSpec layer = FileLayers.scan("image-files", src, "/app", List.of(), List.of(), List.of(), Map.of());

        assertThat(layer.entries())
                .extracting(LayerEntry::path, LayerEntry::type, LayerEntry::mode)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("/app/config.yaml", LayerEntry.Type.FILE, 0644),
                        org.assertj.core.groups.Tuple.tuple("/app/usr", LayerEntry.Type.DIRECTORY, 0755),
                        org.assertj.core.groups.Tuple.tuple("/app/usr/local", LayerEntry.Type.DIRECTORY, 0755),
                        org.assertj.core.groups.Tuple.tuple("/app/usr/local/bin", LayerEntry.Type.DIRECTORY, 0755),
                        org.assertj.core.groups.Tuple.tuple(
                                "/app/usr/local/bin/askpass", LayerEntry.Type.SYMLINK, 0777),
                        org.assertj.core.groups.Tuple.tuple(
                                "/app/usr/local/bin/molecule-askpass", LayerEntry.Type.FILE, 0755));
        assertThat(layer.entries()).allSatisfy(e -> assertThat(e.uid()).isZero());
    }

    @Test
    void permissionRulesOverrideDefaults() throws Exception {
        Files.createDirectories(src.resolve("etc/sudoers.d"));
        Files.writeString(src.resolve("etc/sudoers.d/agent-t4"), "agent ALL=(ALL) NOPASSWD:ALL\n");

        LayerSpec layer = FileLayers.scan(
                "image-files",
                src,
                "/",
                List.of(),
                List.of(),
                List.of(
                        new PermissionRule(
                                "/etc/sudoers.d/*", OptionalInt.of(0440), OptionalInt.of(0), OptionalInt.of(0)),
                        new PermissionRule("/etc/**", OptionalInt.empty(), OptionalInt.of(0), OptionalInt.of(5))),
                Map.of());

        LayerEntry sudoers = layer.entries().stream()
                .filter(e -> e.path().equals("/etc/sudoers.d/agent-t4"))
                .findFirst()
                .orElseThrow();
        assertThat(sudoers.mode()).isEqualTo(0440);
        assertThat(sudoers.gid()).isEqualTo(5);
    }

    @Test
    void includesAndExcludesSelectFilesAndPruneEmptyDirectories() throws Exception {
        Files.createDirectories(src.resolve("a"));
        Files.createDirectories(src.resolve("b"));
        Files.writeString(src.resolve("a/keep.py"), "");
        Files.writeString(src.resolve("a/skip.pyc"), "");
        Files.writeString(src.resolve("b/other.txt"), "");

        LayerSpec layer = FileLayers.scan(
                "files", src, "/opt/", List.of("**.py", "**.pyc"), List.of("**.pyc"), List.of(), Map.of());

        assertThat(layer.entries()).extracting(LayerEntry::path).containsExactly("/opt/a", "/opt/a/keep.py");
    }

    @Test
    void secondNameOfAFileBecomesAHardlinkToTheFirst() throws Exception {
        Files.createDirectories(src.resolve("bin"));
        Path binary = Files.writeString(src.resolve("bin/claude.exe"), "a large native binary");
        Files.createLink(src.resolve("bin/claude"), binary);

        LayerSpec layer = FileLayers.scan("npm", src, "/usr/local", List.of(), List.of(), List.of(), Map.of());

        assertThat(layer.entries())
                .extracting(LayerEntry::path, LayerEntry::type, LayerEntry::linkTarget)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("/usr/local/bin", LayerEntry.Type.DIRECTORY, null),
                        org.assertj.core.groups.Tuple.tuple("/usr/local/bin/claude", LayerEntry.Type.FILE, null),
                        org.assertj.core.groups.Tuple.tuple(
                                "/usr/local/bin/claude.exe", LayerEntry.Type.HARDLINK, "/usr/local/bin/claude"));
    }
}
