package ai.molecule.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Turns a directory into layer entries: each path lands at {@code into} + its relative path, in
 * path order. Files are 0644 unless executable by their owner in the source (git keeps that bit),
 * then 0755; directories 0755; owner root; a second name of the same file becomes a hardlink. A
 * {@link Policy} may leave paths out and override modes and owners.
 */
public final class DirectoryScan {
    private DirectoryScan() {}

    /** Which paths to take and with what mode and owner. */
    public interface Policy {
        /** Takes everything with the default modes. */
        Policy ALL = new Policy() {};

        /** @param relative the path below the scanned directory */
        default boolean includes(Path relative, boolean directory) {
            return true;
        }

        /** The entry's mode and owner, given the defaults. */
        default Ownership apply(String imagePath, Ownership defaults) {
            return defaults;
        }
    }

    /** A mode (with setuid, setgid and sticky bits) and a numeric owner. */
    public record Ownership(int mode, int uid, int gid) {}

    public static List<LayerEntry> entries(Path source, String into, Policy policy) throws IOException {
        String prefix = into.equals("/") ? "" : into.endsWith("/") ? into.substring(0, into.length() - 1) : into;
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
                if (!policy.includes(relative, directory)) {
                    continue;
                }
                String imagePath = prefix + "/" + relative.toString().replace('\\', '/');
                LayerEntry entry = entry(path, imagePath, directory, policy);
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
        return entries;
    }

    private static LayerEntry entry(Path path, String imagePath, boolean directory, Policy policy) throws IOException {
        if (Files.isSymbolicLink(path)) {
            Ownership owner = policy.apply(imagePath, new Ownership(0777, 0, 0));
            return LayerEntry.symlink(imagePath, Files.readSymbolicLink(path).toString(), owner.uid(), owner.gid());
        }
        int defaultMode = directory ? 0755 : executable(path) ? 0755 : 0644;
        Ownership applied = policy.apply(imagePath, new Ownership(defaultMode, 0, 0));
        return directory
                ? LayerEntry.directory(imagePath, applied.mode(), applied.uid(), applied.gid())
                : LayerEntry.file(imagePath, path, applied.mode(), applied.uid(), applied.gid());
    }

    private static boolean executable(Path path) throws IOException {
        try {
            return Files.getPosixFilePermissions(path).contains(PosixFilePermission.OWNER_EXECUTE);
        } catch (UnsupportedOperationException e) {
            return Files.isExecutable(path);
        }
    }
}
