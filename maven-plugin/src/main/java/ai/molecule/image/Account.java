package ai.molecule.image;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A login account the image declares, e.g. {@code agent} 1000:1000 {@code /home/agent} {@code
 * /bin/bash} in group {@code docker}. The assembler writes it after every package's system
 * accounts, locked (no password), and creates its home from {@code /etc/skel}.
 *
 * @param gid primary group; when no group has it, a group named like the account is created
 * @param supplementaryGroups groups the account is a member of; each must be created by a package,
 *     the base or a declared {@link Group}
 */
public record Account(String name, int uid, int gid, String home, String shell, List<String> supplementaryGroups) {
    /** adduser's default NAME_REGEX, with the '$' that machine accounts may end in. */
    static final Pattern NAME = Pattern.compile("[a-z_][-a-z0-9_]*\\$?");

    public Account {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(home, "home");
        Objects.requireNonNull(shell, "shell");
        supplementaryGroups = List.copyOf(supplementaryGroups);
        if (!NAME.matcher(name).matches() || name.length() > 32) {
            throw new IllegalArgumentException("account name '" + name
                    + "' is not a valid user name: use lower-case letters, digits, '_' and '-', at most 32");
        }
        if (uid < 0 || gid < 0) {
            throw new IllegalArgumentException("account " + name + " has a negative uid or gid");
        }
        if (!home.startsWith("/") || !shell.startsWith("/")) {
            throw new IllegalArgumentException(
                    "account " + name + " needs an absolute home and shell, e.g. /home/" + name + " and /bin/bash");
        }
        for (String group : supplementaryGroups) {
            if (!NAME.matcher(group).matches()) {
                throw new IllegalArgumentException("account " + name + " lists supplementary group '" + group
                        + "', which is not a valid group name");
            }
        }
    }
}
