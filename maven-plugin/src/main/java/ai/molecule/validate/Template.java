package ai.molecule.validate;

import ai.molecule.core.LayerEntry;
import ai.molecule.core.LayerSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What the validate goal checks: the file layers the image will hold (entries with their effective
 * mode and owner after {@code <permissions>}), the project's own files under {@code src/}, and whether
 * the image is a workspace image that must carry the contract paths.
 */
public record Template(Path projectDir, List<LayerSpec> layers, List<Path> projectFiles, boolean workspaceImage) {

    public Template {
        projectDir = projectDir.toAbsolutePath().normalize();
        layers = List.copyOf(layers);
        projectFiles = List.copyOf(projectFiles);
    }

    /** The template of a project: its layers plus every regular file under {@code src/} (no {@code target/} or {@code .git/}). */
    public static Template of(Path projectDir, List<LayerSpec> layers, boolean workspaceImage) throws IOException {
        Path src = projectDir.resolve("src");
        List<Path> files = new ArrayList<>();
        if (Files.isDirectory(src)) {
            try (Stream<Path> walk = Files.walk(src)) {
                walk.filter(Files::isRegularFile)
                        .filter(path -> !skipped(src.relativize(path)))
                        .sorted()
                        .forEach(files::add);
            }
        }
        return new Template(projectDir, layers, files, workspaceImage);
    }

    private static boolean skipped(Path relative) {
        for (Path part : relative) {
            if (part.toString().equals("target") || part.toString().equals(".git")) {
                return true;
            }
        }
        return false;
    }

    /** The regular files of every layer, in layer order. */
    public List<LayerEntry> layerFiles() {
        return layers.stream()
                .flatMap(layer -> layer.entries().stream())
                .filter(entry -> entry.type() == LayerEntry.Type.FILE)
                .toList();
    }

    /** Every file to read once: the layers' sources and the project's files, without duplicates. */
    public Set<Path> filesToScan() {
        Set<Path> files = new LinkedHashSet<>();
        layerFiles().forEach(entry -> files.add(entry.source().toAbsolutePath().normalize()));
        projectFiles.forEach(path -> files.add(path.toAbsolutePath().normalize()));
        return files;
    }

    /** A file as reports show it: relative to the project when inside it. */
    public String display(Path file) {
        Path absolute = file.toAbsolutePath().normalize();
        return absolute.startsWith(projectDir) ? projectDir.relativize(absolute).toString() : absolute.toString();
    }
}
