package ai.molecule.build;

import ai.molecule.core.LayerCache;
import ai.molecule.core.MoleculeException;
import ai.molecule.debian.ArchiveClient;
import ai.molecule.debian.LockFile;
import ai.molecule.debian.LockedPackage;
import ai.molecule.debian.Locker;
import ai.molecule.debian.TrustedKeys;
import ai.molecule.image.DebianSpec;
import ai.molecule.image.ImageSpec;
import ai.molecule.image.OsPackages;
import ai.molecule.image.PipLayer;
import ai.molecule.rootfs.BaseSystem;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The resolve stage. A build takes the Debian packages exactly from {@code molecule.lock}, after
 * checking that the lock was resolved from what the POM declares now; only {@link #lock} runs the
 * resolver.
 */
final class Resolver {
    private final BuildContext context;

    Resolver(BuildContext context) {
        this.context = context;
    }

    Resolution resolve(ImageSpec spec, BaseLayers base) throws MoleculeException, IOException {
        BaseSystem baseSystem = null;
        LockFile lock = null;
        if (spec.osPackages() != null) {
            baseSystem = baseSystem(base);
            lock = readLock(spec.osPackages(), baseSystem);
        }
        PipLayer pip = spec.pip() == null
                ? null
                : spec.pip().forPython(pythonVersion(spec.pip(), lock == null ? List.of() : lock.packages()));
        return new Resolution(base, baseSystem, lock, pip);
    }

    /** Resolves the Debian packages against the verified archive and the base's dpkg state. */
    LockFile lock(OsPackages os, BaseLayers base) throws MoleculeException, IOException {
        return Locker.lock(os.debian(), baseSystem(base).installed(), archive(context, os.debian()), context.log());
    }

    /** A client of the spec's archive, trusting Debian's keys and the spec's keyrings. */
    static ArchiveClient archive(BuildContext context, DebianSpec debian) throws MoleculeException {
        ArchiveClient client = new ArchiveClient(
                context.cache(), TrustedKeys.withKeyrings(debian.keyrings()), context.log(), context.offline());
        return debian.allowExpiredMetadata() ? client.allowingExpiredMetadata() : client;
    }

    private static BaseSystem baseSystem(BaseLayers base) throws IOException {
        return BaseSystem.read(base.layers().stream().map(LayerCache.Blob::path).toList());
    }

    private static LockFile readLock(OsPackages os, BaseSystem baseSystem) throws MoleculeException {
        if (!Files.exists(os.lockFile())) {
            throw new MoleculeException("No " + os.lockFile() + ": the Debian packages of <debian> are installed"
                    + " exactly as the lock file names them. Run `mvn molecule:lock` to resolve and write it, then"
                    + " commit it");
        }
        LockFile lock = LockFile.read(os.lockFile());
        List<String> installed = new TreeMap<>(baseSystem.installed())
                .entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
        lock.requireInputs(LockFile.Inputs.of(os.debian(), installed), os.lockFile());
        return lock;
    }

    /**
     * The Python the pip layer targets: the Debian layer's {@code python3.X} when it installs one,
     * else the layer's own version, else {@value PipLayer#DEFAULT_PYTHON_VERSION} (bookworm's).
     */
    static String pythonVersion(PipLayer pip, List<LockedPackage> debs) throws MoleculeException {
        Optional<String> image = debs.stream()
                .map(LockedPackage::name)
                .filter(name -> name.matches("python3\\.\\d+"))
                .map(name -> name.substring("python".length()))
                .max(Comparator.comparingInt(version -> Integer.parseInt(version.substring(2))));
        if (image.isPresent()
                && pip.pythonVersion() != null
                && !pip.pythonVersion().equals(image.get())) {
            throw new MoleculeException("The pip layer is for Python " + pip.pythonVersion()
                    + " (<pip><pythonVersion>) but the Debian layer installs python" + image.get()
                    + " (see the lock file). Remove <pythonVersion> so that the layer targets the image's Python,"
                    + " or install python" + pip.pythonVersion() + " with <debian>");
        }
        return image.orElse(pip.pythonVersion() != null ? pip.pythonVersion() : PipLayer.DEFAULT_PYTHON_VERSION);
    }
}
