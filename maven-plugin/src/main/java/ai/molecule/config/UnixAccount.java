package ai.molecule.config;

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

    /** Home directory, an absolute image path; default {@code /home/<name>}. */
    String home;

    /** Login shell, an absolute image path; default {@code /bin/bash}. */
    String shell = "/bin/bash";

    /** Supplementary groups by name, e.g. {@code docker}. */
    List<String> groups = new ArrayList<>();
}
