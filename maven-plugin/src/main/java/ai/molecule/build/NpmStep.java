package ai.molecule.build;

import ai.molecule.core.CacheOutcome;
import ai.molecule.core.MoleculeException;
import ai.molecule.image.LayerKind;
import ai.molecule.image.NpmLayer;
import ai.molecule.npm.NpmInstaller;
import ai.molecule.sbom.Component;
import java.io.IOException;
import java.time.Instant;
import java.util.List;

/** The npm layer: the locked agent CLI and its dependencies for the image's platform, installed by the host's npm. */
record NpmStep(NpmLayer layer, Instant mtime) implements LayerStep {

    @Override
    public LayerKind kind() {
        return LayerKind.NPM;
    }

    @Override
    public List<Built> build(BuildContext context, Resolution resolution) throws MoleculeException, IOException {
        NpmInstaller.Result built = new NpmInstaller(
                        context.cache(), context.cacheRoot().resolve("npm"), context.log(), context.offline())
                .install(layer, resolution.lock().npm(), mtime);
        return List.of(new Built(
                "npm",
                built.key(),
                built.blob(),
                built.hit() ? CacheOutcome.HIT : CacheOutcome.MISS,
                built.packages().stream()
                        .map(p -> Component.npm(p.name(), p.version(), p.integrity(), p.license(), p.resolved()))
                        .toList()));
    }
}
