package ai.molecule.files;

import ai.molecule.core.InvalidConfigurationException;
import ai.molecule.core.LayerEntry;
import ai.molecule.core.LayerSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Turns a directory of the template into a layer: each file lands at {@code into} + its relative
 * path. Files are 0644 unless executable by their owner in the source (git keeps that bit), then
 * 0755; directories 0755; owner root. Permission rules override both.
 */
public final class FileLayers {
    private FileLayers() {}

    /**
     * @param element the POM element that declared the directory, named in errors
     * @param includes globs relative to {@code source}; empty means everything
     */
    public static LayerSpec scan(
            String name,
            String element,
            Path source,
            String into,
            List<String> includes,
            List<String> excludes,
            List<PermissionRule> rules,
            Map<String, String> buildArgs)
            throws InvalidConfigurationException, IOException {
        if (!Files.isDirectory(source)) {
            throw new InvalidConfigurationException(
                    element,
                    "source directory " + source + " does not exist",
                    "Create it, or point <" + element + "> at the directory that holds the image files");
        }
        if (!into.startsWith("/")) {
            throw new InvalidConfigurationException(
                    element, "target path '" + into + "' is not absolute", "Write it as an image path, e.g. /opt/app");
        }
        List<PathMatcher> include = matchers(includes);
        List<PathMatcher> exclude = matchers(excludes);
        PermissionRule.Matchers permissions = new PermissionRule.Matchers(rules);
        String prefix = into.equals("/") ? "" : stripTrailingSlash(into);
        List<LayerEntry> entries = new ArrayList<>();
        // File identity (device + inode) → the image path it was first added at, so that a second
        // name of the same file becomes a hardlink instead of a second copy (npm's claude-code
        // links a 400 MB binary).
        Map<Object, String> firstNames = new HashMap<>();
        try (Stream<Path> walk = Files.walk(source)) {
            for (Path path : (Iterable<Path>) walk.sorted()::iterator) {
                if (path.equals(source)) {
                    continue;
                }
                Path relative = source.relativize(path);
                boolean directory = Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS);
                if (!directory && (!matchesAny(include, relative, true) || matchesAny(exclude, relative, false))) {
                    continue;
                }
                if (directory && matchesAny(exclude, relative, false)) {
                    continue;
                }
                String imagePath = prefix + "/" + relative.toString().replace('\\', '/');
                LayerEntry entry = entry(path, imagePath, directory, permissions);
                if (entry.type() == LayerEntry.Type.FILE) {
                    BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
                    String first = attributes.fileKey() == null
                            ? null
                            : firstNames.putIfAbsent(attributes.fileKey(), imagePath);
                    if (first != null) {
                        entry = LayerEntry.hardlink(imagePath, first, entry.mode(), entry.uid(), entry.gid());
                    }
                }
                entries.add(entry);
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return new LayerSpec(name, pruneEmptyDirectories(entries, include.isEmpty()), new TreeMap<>(buildArgs));
    }

    private static LayerEntry entry(Path path, String imagePath, boolean directory, PermissionRule.Matchers rules)
            throws IOException {
        if (Files.isSymbolicLink(path)) {
            int[] owner = rules.apply(imagePath, 0777, 0, 0);
            return LayerEntry.symlink(imagePath, Files.readSymbolicLink(path).toString(), owner[1], owner[2]);
        }
        int defaultMode = directory ? 0755 : executable(path) ? 0755 : 0644;
        int[] applied = rules.apply(imagePath, defaultMode, 0, 0);
        return directory
                ? LayerEntry.directory(imagePath, applied[0], applied[1], applied[2])
                : LayerEntry.file(imagePath, path, applied[0], applied[1], applied[2]);
    }

    private static boolean executable(Path path) throws IOException {
        try {
            return Files.getPosixFilePermissions(path).contains(PosixFilePermission.OWNER_EXECUTE);
        } catch (UnsupportedOperationException e) {
            return Files.isExecutable(path);
        }
    }

    /** With includes, keep only directories that lead to an included file. */
    private static List<LayerEntry> pruneEmptyDirectories(List<LayerEntry> entries, boolean keepAll) {
        if (keepAll) {
            return entries;
        }
        List<LayerEntry> kept = new ArrayList<>();
        for (LayerEntry entry : entries) {
            if (entry.type() != LayerEntry.Type.DIRECTORY
                    || entries.stream()
                            .anyMatch(other -> other.type() != LayerEntry.Type.DIRECTORY
                                    && other.path().startsWith(entry.path() + "/"))) {
                kept.add(entry);
            }
        }
        return kept;
    }

    private static List<PathMatcher> matchers(List<String> globs) {
        return globs.stream()
                .map(glob -> FileSystems.getDefault().getPathMatcher("glob:" + glob))
                .toList();
    }

    private static boolean matchesAny(List<PathMatcher> matchers, Path relative, boolean emptyMeansAll) {
        if (matchers.isEmpty()) {
            return emptyMeansAll;
        }
        return matchers.stream().anyMatch(m -> m.matches(relative));
    }

    private static String stripTrailingSlash(String path) {
        return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }
}
