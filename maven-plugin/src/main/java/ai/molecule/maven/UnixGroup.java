package ai.molecule.maven;

import ai.molecule.core.InvalidConfigurationException;

/** A {@code <group>} of {@code <groups>}: a group the image's /etc/group gains (not named {@code Group}: Maven would map every {@code <group>} element, also an account's, to it). */
public class UnixGroup {
    /** Group name, e.g. {@code docker}. */
    String name;

    /** Numeric group id; the entrypoint may realign it at run time (docker socket). */
    Integer gid;

    ai.molecule.image.Group toGroup() throws InvalidConfigurationException {
        if (name == null || !name.matches("[a-z_][a-z0-9_-]{0,31}") || gid == null) {
            throw new InvalidConfigurationException(
                    "groups><group",
                    "a group needs a lower-case <name> and a numeric <gid> (got name '" + name + "', gid " + gid + ")",
                    "Declare e.g. <name>docker</name><gid>999</gid>");
        }
        return new ai.molecule.image.Group(name, gid);
    }
}
