package ai.molecule.image;

/**
 * The kinds of layer the build puts on the base. Declaration order is the image's layer order,
 * bottom first: the one source that the build's step list, docs/build-image.md and {@code molecule:help}
 * follow (a test holds the last two to it). Rarely changed, large layers sit low, so the frequent
 * edits — a runtime bump, a template file — rebuild and send only the small layers above them.
 */
public enum LayerKind {
    /** Debian packages from {@code molecule.lock}, with accounts, groups and CA certificates. */
    DEBIAN("debian"),
    /** Global npm packages (the agent CLI), below pip: a runtime bump then leaves this large layer alone. */
    NPM("npm"),
    /** Python packages, the workspace runtime among them. */
    PIP("pip"),
    /** The workspace's standard assets; below the template's files, so a file at an asset's path replaces it. */
    WORKSPACE("workspace"),
    /** The template's files: {@code src/main/image}, then each file set in declaration order. */
    FILES("files");

    private final String label;

    LayerKind(String label) {
        this.label = label;
    }

    /** The name the docs and the logs use. */
    public String label() {
        return label;
    }
}
