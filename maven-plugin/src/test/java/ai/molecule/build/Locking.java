package ai.molecule.build;

import ai.molecule.image.ImageSpec;
import ai.molecule.lock.LockRequest;
import ai.molecule.lock.MoleculeLock;
import java.nio.file.Files;
import java.nio.file.Path;

/** What a maintainer runs: `molecule:lock` (keeping the spec's current lock where it still fits), then a build. */
final class Locking {
    private Locking() {}

    static MoleculeLock lock(ImageBuilder builder, ImageSpec spec, Path workDir) throws Exception {
        Path file = spec.lockFile();
        MoleculeLock previous = Files.exists(file) ? MoleculeLock.read(file) : null;
        MoleculeLock lock = builder.lock(spec, RegistryAccess.ANONYMOUS, workDir, previous, LockRequest.KEEP);
        lock.write(file);
        return lock;
    }

    static BuildResult lockAndBuild(ImageBuilder builder, ImageSpec spec, Target target, Path out) throws Exception {
        lock(builder, spec, out);
        return builder.build(spec, target, out);
    }
}
