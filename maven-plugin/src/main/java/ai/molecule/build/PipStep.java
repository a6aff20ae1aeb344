package ai.molecule.build;

import ai.molecule.core.CacheOutcome;
import ai.molecule.core.MoleculeException;
import ai.molecule.image.LayerKind;
import ai.molecule.pip.PipInstaller;
import ai.molecule.pip.PipLayerResult;
import java.io.IOException;
import java.time.Instant;

/** The pip layer, for the Python the resolve stage found in the image. */
record PipStep(Instant mtime) implements LayerStep {

    @Override
    public LayerKind kind() {
        return LayerKind.PIP;
    }

    @Override
    public String name() {
        return "pip";
    }

    @Override
    public Built build(BuildContext context, Resolution resolution) throws MoleculeException, IOException {
        PipLayerResult built =
                new PipInstaller(context.cache(), context.log(), "python3").install(resolution.pip(), mtime);
        return new Built(
                built.key(),
                built.blob(),
                built.cacheHit() ? CacheOutcome.HIT : CacheOutcome.MISS,
                built.components().stream()
                        .map(c -> new BuildResult.Component("pypi", c.name(), c.version(), null, c.sha256(), null))
                        .toList());
    }
}
