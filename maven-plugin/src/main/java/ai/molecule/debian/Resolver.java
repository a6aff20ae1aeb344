package ai.molecule.debian;

import java.util.List;

/**
 * Computes the closure of Debian packages to install, like apt's candidate selection without
 * backtracking: each dependency is met by the candidate of the first alternative that can meet it,
 * unless something already chosen or installed meets it. Same inputs, same closure, same order.
 *
 * <p>A {@code Resolver} indexes the Packages indexes once; {@link #resolve} may run many times.
 */
public final class Resolver {
    private final PackageIndex index;

    public Resolver(PackageIndex index) {
        this.index = index;
    }

    /**
     * Indexes {@code stanzas} of {@code suites} for {@code architecture}; the suites' order decides only
     * between equal versions.
     */
    public static Resolver of(List<String> suites, String architecture, List<PackageStanza> stanzas)
            throws ResolutionException {
        return new Resolver(PackageIndex.of(suites, architecture, stanzas));
    }

    public PackageIndex index() {
        return index;
    }

    /**
     * @throws ResolutionException listing every request that names no package, every dependency that
     *     cannot be met and every Conflicts or Breaks inside the closure, each with its chain and fix
     */
    public Resolution resolve(ResolutionRequest request) throws ResolutionException {
        return new ClosureWalk(index, request).run();
    }
}
