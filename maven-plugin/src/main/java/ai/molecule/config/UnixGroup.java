package ai.molecule.config;

/**
 * A {@code <group>} of {@code <groups>}: a group the image's /etc/group gains. Not named {@code
 * Group}: Maven would map every {@code <group>} element of this package's types, an account's
 * too, to a class of that name.
 */
public class UnixGroup {
    /** Group name, e.g. {@code docker}. */
    String name;

    /** Numeric group id; the entrypoint may realign it at run time (docker socket). */
    Integer gid;
}
