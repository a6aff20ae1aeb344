package ai.molecule.debian;

/**
 * A {@code Provides} entry of one package version.
 *
 * @param version the {@code (= version)} it provides, {@code null} when unversioned (then it meets only
 *     unversioned relations)
 */
public record Provision(PackageVersion provider, String name, DebianVersion version) {

    public boolean satisfies(Relation relation) {
        return relation.satisfiedBy(name, version);
    }

    @Override
    public String toString() {
        return provider.name() + " provides " + name + (version == null ? "" : " (= " + version + ")");
    }
}
