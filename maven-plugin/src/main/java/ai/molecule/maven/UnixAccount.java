package ai.molecule.maven;

import ai.molecule.core.InvalidConfigurationException;
import java.util.ArrayList;
import java.util.List;

/** An {@code <account>} of {@code <accounts>}: a login the image's /etc/passwd gains. */
public class UnixAccount {
    /** Login name, e.g. {@code agent}. */
    String name;

    /** Numeric user id, e.g. {@code 1000}. */
    Integer uid;

    /** Numeric primary group id (a group of the account's name is created); default the uid. */
    Integer gid;

    /** Home directory; default {@code /home/<name>}. */
    String home;

    /** Login shell; default {@code /bin/bash}. */
    String shell = "/bin/bash";

    /** Supplementary groups by name, e.g. {@code docker}. */
    List<String> groups = new ArrayList<>();

    ai.molecule.image.Account toAccount() throws InvalidConfigurationException {
        if (name == null || !name.matches("[a-z_][a-z0-9_-]{0,31}") || uid == null) {
            throw new InvalidConfigurationException(
                    "accounts><account",
                    "an account needs a lower-case <name> and a numeric <uid> (got name '" + name + "', uid " + uid
                            + ")",
                    "Declare e.g. <name>agent</name><uid>1000</uid>");
        }
        return new ai.molecule.image.Account(
                name, uid, gid == null ? uid : gid, home == null ? "/home/" + name : home, shell, groups);
    }
}
