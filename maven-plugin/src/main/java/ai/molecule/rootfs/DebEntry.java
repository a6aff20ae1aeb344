package ai.molecule.rootfs;

import java.util.Objects;

/**
 * One entry of a package's {@code data.tar}, as dpkg would unpack it.
 *
 * @param path absolute, normalized ({@code /usr/bin/sudo}; the archive's root entry is {@code /})
 * @param mode permission bits including setuid, setgid and sticky ({@code 04755} for sudo)
 * @param userName owner name recorded in the tar; dpkg prefers it over {@code uid} when the system
 *     knows the name, so the assembler does too
 * @param size content length of a {@link Type#FILE}; 0 otherwise
 * @param linkTarget a symlink's target as written (may be relative), or a hardlink's normalized
 *     absolute path of the entry it links to; {@code null} for files and directories
 */
public record DebEntry(
        Type type,
        String path,
        int mode,
        int uid,
        int gid,
        String userName,
        String groupName,
        long size,
        String linkTarget) {

    public enum Type {
        DIRECTORY,
        FILE,
        SYMLINK,
        HARDLINK
    }

    public DebEntry {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(path, "path");
        userName = userName == null ? "" : userName;
        groupName = groupName == null ? "" : groupName;
        if ((type == Type.SYMLINK || type == Type.HARDLINK) != (linkTarget != null)) {
            throw new IllegalArgumentException(type + " entry " + path + " has wrong link target " + linkTarget);
        }
    }
}
