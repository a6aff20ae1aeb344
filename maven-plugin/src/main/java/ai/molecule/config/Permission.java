package ai.molecule.config;

/** A {@code <permission>} of {@code <permissions>}: a glob of image paths and what to set on them. */
public class Permission {
    /** Absolute image path glob, e.g. {@code /usr/local/bin/*} or {@code /etc/sudoers.d/**}. */
    String path;

    /** Octal mode, three or four digits, e.g. {@code 0755}, {@code 0440}, {@code 4755}. */
    String mode;

    /** Numeric owner as {@code uid:gid}, e.g. {@code 1000:1000}. */
    String owner;
}
