package ai.molecule.core;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One entry of a layer tar: where it lands in the image, what it is, and its full mode (setuid,
 * setgid and sticky bits included) and numeric owner.
 *
 * @param path absolute path in the image, e.g. {@code /usr/local/bin/molecule-askpass}
 * @param source the file whose bytes the entry holds; {@code null} for directories and symlinks
 * @param linkTarget the symlink's target, or the image path a hardlink shares its file with; {@code
 *     null} otherwise
 */
public record LayerEntry(String path, Type type, Path source, String linkTarget, int mode, int uid, int gid) {

    public enum Type {
        DIRECTORY,
        FILE,
        SYMLINK,
        /** A second name for a file earlier in the layer; {@code linkTarget} is that file's image path. */
        HARDLINK
    }

    public LayerEntry {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(type, "type");
        if (!path.startsWith("/") || path.endsWith("/") && path.length() > 1) {
            throw new IllegalArgumentException("layer entry path must be absolute without trailing slash: " + path);
        }
        if ((type == Type.FILE) != (source != null)
                || (type == Type.SYMLINK || type == Type.HARDLINK) != (linkTarget != null)) {
            throw new IllegalArgumentException("layer entry " + path + " of type " + type + " has wrong payload");
        }
        if ((mode & ~07777) != 0) {
            throw new IllegalArgumentException("mode out of range for " + path + ": " + Integer.toOctalString(mode));
        }
    }

    public static LayerEntry directory(String path, int mode, int uid, int gid) {
        return new LayerEntry(path, Type.DIRECTORY, null, null, mode, uid, gid);
    }

    public static LayerEntry file(String path, Path source, int mode, int uid, int gid) {
        return new LayerEntry(path, Type.FILE, source, null, mode, uid, gid);
    }

    public static LayerEntry hardlink(String path, String target, int mode, int uid, int gid) {
        return new LayerEntry(path, Type.HARDLINK, null, target, mode, uid, gid);
    }

    public static LayerEntry symlink(String path, String target, int uid, int gid) {
        return new LayerEntry(path, Type.SYMLINK, null, target, 0777, uid, gid);
    }
}
