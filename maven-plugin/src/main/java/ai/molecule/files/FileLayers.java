package ai.molecule.files;

import ai.molecule.core.DirectoryScan;
import ai.molecule.core.LayerEntry;
import ai.molecule.core.LayerSpec;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns a directory of the template into a layer (see {@link DirectoryScan} for the default modes),
 * taking only the paths its include and exclude globs select and applying the permission rules.
 */
public final class FileLayers {
    private FileLayers() {}

    /**
     * @param source an existing directory
     * @param into the absolute image path the directory's contents land under
     * @param includes globs relative to {@code source}; empty means everything
     */
    public static LayerSpec scan(
            String name,
            Path source,
            String into,
            List<String> includes,
            List<String> excludes,
            List<PermissionRule> rules,
            Map<String, String> buildArgs)
            throws IOException {
        List<PathMatcher> include = matchers(includes);
        List<PathMatcher> exclude = matchers(excludes);
        PermissionRule.Matchers permissions = new PermissionRule.Matchers(rules);
        DirectoryScan.Policy policy = new DirectoryScan.Policy() {
            @Override
            public boolean includes(Path relative, boolean directory) {
                return directory
                        ? !matchesAny(exclude, relative, false)
                        : matchesAny(include, relative, true) && !matchesAny(exclude, relative, false);
            }

            @Override
            public DirectoryScan.Ownership apply(String imagePath, DirectoryScan.Ownership defaults) {
                return permissions.apply(imagePath, defaults);
            }
        };
        List<LayerEntry> entries = DirectoryScan.entries(source, into, policy);
        return new LayerSpec(name, pruneEmptyDirectories(entries, include.isEmpty()), new TreeMap<>(buildArgs));
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
}
