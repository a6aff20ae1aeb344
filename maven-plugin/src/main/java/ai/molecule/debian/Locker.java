package ai.molecule.debian;

import ai.molecule.core.BuildLog;
import ai.molecule.core.MoleculeException;
import ai.molecule.image.DebianSpec;
import java.util.List;
import java.util.Map;

/** Resolves a {@link DebianSpec} against the verified archive indexes into a {@link LockFile}. */
public final class Locker {
    private Locker() {}

    /**
     * @param installed packages the base image already holds (name → version); they satisfy
     *     dependencies and are not locked again
     */
    public static LockFile lock(DebianSpec spec, Map<String, String> installed, ArchiveClient archive, BuildLog log)
            throws MoleculeException {
        long start = System.nanoTime();
        List<PackageStanza> stanzas = archive.index(spec);
        Resolution resolution =
                Resolver.of(spec.suites(), spec.architecture(), stanzas).resolve(ResolutionRequest.of(spec, installed));
        log.info(String.format(
                "Resolved %d requested packages to %d (%.1f MB to download) in %d ms",
                spec.packages().size(),
                resolution.packages().size(),
                resolution.downloadSize() / 1e6,
                (System.nanoTime() - start) / 1_000_000));
        List<String> base = installed.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue())
                .toList();
        return new LockFile(LockFile.Inputs.of(spec, base), resolution.lock());
    }
}
