package ai.molecule.image;

import java.util.Objects;

/**
 * A group the image declares with a fixed gid, e.g. {@code docker} 999. It wins over the gid a
 * package's maintainer script would have picked, so the image can match a host's socket group.
 */
public record Group(String name, int gid) {
    public Group {
        Objects.requireNonNull(name, "name");
        if (!Account.NAME.matcher(name).matches() || name.length() > 32) {
            throw new IllegalArgumentException(
                    "group name '" + name + "' is not valid: use lower-case letters, digits, '_' and '-', at most 32");
        }
        if (gid < 0) {
            throw new IllegalArgumentException("group " + name + " has a negative gid " + gid);
        }
    }
}
