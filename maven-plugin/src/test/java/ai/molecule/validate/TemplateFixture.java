package ai.molecule.validate;

import ai.molecule.core.LayerSpec;
import ai.molecule.files.FileLayers;
import ai.molecule.files.PermissionRule;
import ai.molecule.testing.RecordingLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/** A template project in a temp dir: files under src/main/image, permission rules, and the rule run. */
final class TemplateFixture {
    final Path project;
    final List<PermissionRule> permissions = new ArrayList<>();
    final RecordingLog log = new RecordingLog();
    boolean workspace;

    TemplateFixture(Path project) {
        this.project = project;
    }

    /** Writes {@code src/main/image/<imagePath>}. */
    TemplateFixture imageFile(String imagePath, String content) throws IOException {
        return file("src/main/image" + imagePath, content);
    }

    TemplateFixture file(String relative, String content) throws IOException {
        Path file = project.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
        return this;
    }

    TemplateFixture executable(String relative) throws IOException {
        Files.setPosixFilePermissions(project.resolve(relative), PosixFilePermissions.fromString("rwxr-xr-x"));
        return this;
    }

    TemplateFixture permission(String glob, String mode, String owner) throws Exception {
        OptionalInt uid = owner == null ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(owner.split(":")[0]));
        OptionalInt gid = owner == null ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(owner.split(":")[1]));
        permissions.add(new PermissionRule(
                glob, mode == null ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(mode, 8)), uid, gid));
        return this;
    }

    Template template() throws Exception {
        Path images = project.resolve("src/main/image");
        List<LayerSpec> layers = Files.isDirectory(images)
                ? List.of(FileLayers.scan("image-files", images, "/", List.of(), List.of(), permissions, Map.of()))
                : List.of();
        return Template.of(project, layers, workspace);
    }

    Rule.Outcome check(Rule rule) throws Exception {
        return rule.check(template(), log);
    }
}
