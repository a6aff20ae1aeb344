package ai.molecule.build;

import ai.molecule.core.CacheOutcome;
import ai.molecule.core.MoleculeException;
import ai.molecule.image.LayerKind;
import ai.molecule.pip.PipInstaller;
import ai.molecule.pip.PipLayerResult;
import ai.molecule.pip.PipLock;
import ai.molecule.sbom.Component;
import java.io.IOException;
import java.time.Instant;
import java.util.List;

/** The pip layer: the locked wheels, for the Python the resolve stage found in the image. */
record PipStep(Instant mtime) implements LayerStep {

    @Override
    public LayerKind kind() {
        return LayerKind.PIP;
    }

    @Override
    public List<Built> build(BuildContext context, Resolution resolution) throws MoleculeException, IOException {
        PipLock lock = resolution.lock().pip();
        PipLayerResult built =
                new PipInstaller(context.cache(), context.log(), "python3").install(resolution.pip(), lock, mtime);
        return List.of(new Built(
                "pip",
                built.key(),
                built.blob(),
                built.cacheHit() ? CacheOutcome.HIT : CacheOutcome.MISS,
                lock.pins().stream()
                        .map(p -> Component.pypi(p.name(), p.version(), p.sha256(), p.url()))
                        .toList()));
    }
}
