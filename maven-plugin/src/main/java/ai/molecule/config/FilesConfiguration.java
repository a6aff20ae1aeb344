package ai.molecule.config;

import ai.molecule.core.LayerSpec;
import ai.molecule.files.FileLayers;
import ai.molecule.files.PermissionRule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;

/** {@code <imageDirectory>}, {@code <fileSets>} and {@code <permissions>}: the template's file layers. */
final class FilesConfiguration {
    private static final String PERMISSIONS = "permissions";

    private FilesConfiguration() {}

    /** {@code src/main/image} (when it exists or is named), then each file set, in order. */
    static List<LayerSpec> layers(RawConfiguration raw) throws InvalidConfigurationException, IOException {
        List<PermissionRule> rules = new ArrayList<>();
        for (Permission permission : raw.permissions()) {
            rules.add(rule(permission));
        }
        List<LayerSpec> layers = new ArrayList<>();
        Path images = raw.imageDirectory() != null
                ? raw.imageDirectory()
                : raw.projectDirectory().resolve("src/main/image");
        if (raw.imageDirectory() != null || Files.isDirectory(images)) {
            layers.add(FileLayers.scan(
                    "image-files", directory("imageDirectory", images), "/", List.of(), List.of(), rules, Map.of()));
        }
        for (int i = 0; i < raw.fileSets().size(); i++) {
            FileSet set = raw.fileSets().get(i);
            String element = "fileSets><fileSet #" + (i + 1);
            if (set.directory == null) {
                throw new InvalidConfigurationException(
                        element + "><directory", "no directory given", "Name the directory to add");
            }
            Map<String, String> args = new TreeMap<>();
            for (String name : set.buildArgs) {
                if (!raw.buildArgs().containsKey(name)) {
                    throw new InvalidConfigurationException(
                            element + "><buildArgs",
                            "build argument '" + name + "' is not declared",
                            "Declare it under <buildArgs> or remove it from the file set");
                }
                args.put(name, raw.buildArgs().get(name));
            }
            if (set.into == null || !set.into.startsWith("/")) {
                throw new InvalidConfigurationException(
                        element + "><into",
                        "target path '" + set.into + "' is not absolute",
                        "Write it as an image path, e.g. /opt/app");
            }
            layers.add(FileLayers.scan(
                    "files-" + (i + 1) + "-" + set.directory.getName(),
                    directory(element + "><directory", set.directory.toPath()),
                    set.into,
                    set.includes,
                    set.excludes,
                    rules,
                    args));
        }
        return layers;
    }

    private static Path directory(String element, Path source) throws InvalidConfigurationException {
        if (!Files.isDirectory(source)) {
            throw new InvalidConfigurationException(
                    element,
                    "source directory " + source + " does not exist",
                    "Create it, or point <" + element + "> at the directory that holds the image files");
        }
        return source;
    }

    static PermissionRule rule(Permission permission) throws InvalidConfigurationException {
        String glob = permission.path;
        if (glob == null || !glob.startsWith("/")) {
            throw new InvalidConfigurationException(
                    PERMISSIONS,
                    "path '" + glob + "' is not an absolute image path",
                    "Write the glob as the path in the image, e.g. /usr/local/bin/*");
        }
        OptionalInt mode = OptionalInt.empty();
        if (permission.mode != null && !permission.mode.isBlank()) {
            String text = permission.mode.trim();
            if (!text.matches("[0-7]{3,4}")) {
                throw new InvalidConfigurationException(
                        PERMISSIONS,
                        "mode '" + text + "' for " + glob + " is not an octal file mode",
                        "Write three or four octal digits, e.g. 0755, 0440 or 4755 for setuid");
            }
            mode = OptionalInt.of(Integer.parseInt(text, 8));
        }
        OptionalInt uid = OptionalInt.empty();
        OptionalInt gid = OptionalInt.empty();
        String owner = permission.owner;
        if (owner != null && !owner.isBlank()) {
            String[] parts = owner.trim().split(":", -1);
            if (parts.length != 2 || !parts[0].matches("\\d{1,9}") || !parts[1].matches("\\d{1,9}")) {
                throw new InvalidConfigurationException(
                        PERMISSIONS,
                        "owner '" + owner + "' for " + glob + " is not a numeric uid:gid",
                        "Write it as numbers, e.g. 1000:1000 for agent or 0:0 for root (names are not resolved)");
            }
            uid = OptionalInt.of(Integer.parseInt(parts[0]));
            gid = OptionalInt.of(Integer.parseInt(parts[1]));
        }
        if (mode.isEmpty() && uid.isEmpty()) {
            throw new InvalidConfigurationException(
                    PERMISSIONS, "the rule for " + glob + " sets neither <mode> nor <owner>", "Give it one or both");
        }
        return new PermissionRule(glob, mode, uid, gid);
    }
}
