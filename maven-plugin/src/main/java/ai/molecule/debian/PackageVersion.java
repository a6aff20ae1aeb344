package ai.molecule.debian;

/** A stanza of the index with its version parsed once, for ordering and relation checks. */
public record PackageVersion(PackageStanza stanza, DebianVersion version) {

    public String name() {
        return stanza.name();
    }

    /** {@code libbar 1.5 (bookworm)}: enough for a user to find it on packages.debian.org. */
    @Override
    public String toString() {
        return stanza.name() + " " + version + " (" + stanza.suite() + ")";
    }
}
