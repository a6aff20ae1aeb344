package ai.molecule.debian;

import ai.molecule.core.BuildLog;
import ai.molecule.core.MoleculeException;
import ai.molecule.image.DebianSpec;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** Resolves a {@link DebianSpec} against the verified archive indexes into a {@link DebianLock}. */
public final class Locker {
    private Locker() {}

    /**
     * @param installed packages the base image already holds (name → version); they satisfy
     *     dependencies and are not locked again
     * @param previous the lock to keep versions from while the archive still has them; {@code null}
     *     takes every candidate
     * @param update names whose candidates are taken anyway, with the packages they depend on
     */
    public static DebianLock lock(
            DebianSpec spec,
            Map<String, String> installed,
            ArchiveClient archive,
            BuildLog log,
            DebianLock previous,
            Set<String> update)
            throws MoleculeException {
        long start = System.nanoTime();
        List<PackageStanza> stanzas = archive.index(spec);
        Resolver resolver = Resolver.of(spec.suites(), spec.architecture(), stanzas);
        Map<String, String> preferred = new TreeMap<>(previous == null ? Map.of() : previous.versions());
        preferred.keySet().removeAll(withDependencies(resolver.index(), update));
        Resolution resolution = resolver.resolve(ResolutionRequest.of(spec, installed, preferred));
        log.info(String.format(
                "Resolved %d requested packages to %d (%.1f MB to download) in %d ms",
                spec.packages().size(),
                resolution.packages().size(),
                resolution.downloadSize() / 1e6,
                (System.nanoTime() - start) / 1_000_000));
        if (!spec.addedByWorkspace().isEmpty()) {
            log.info("Of those, <workspace> added " + String.join(" ", spec.addedByWorkspace())
                    + " (the standard assets run with them; the lock lists them under addedByWorkspace)");
        }
        List<String> base = installed.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue())
                .toList();
        return new DebianLock(DebianLock.Inputs.of(spec, base), resolution.lock());
    }

    /** {@code names} and every package their candidates depend on, alternatives included. */
    private static Set<String> withDependencies(PackageIndex index, Set<String> names) {
        Set<String> closure = new TreeSet<>(names);
        Deque<String> queue = new ArrayDeque<>(names);
        while (!queue.isEmpty()) {
            index.candidate(queue.remove()).ifPresent(version -> {
                for (String field : ClosureWalk.FOLLOWED_FIELDS) {
                    try {
                        for (Alternatives group :
                                Relation.parseField(version.stanza().field(field))) {
                            group.options().stream()
                                    .map(Relation::name)
                                    .filter(closure::add)
                                    .forEach(queue::add);
                        }
                    } catch (IllegalArgumentException damaged) {
                        // The resolver reports a damaged field with its package; here it only frees less.
                    }
                }
            });
        }
        return closure;
    }
}
