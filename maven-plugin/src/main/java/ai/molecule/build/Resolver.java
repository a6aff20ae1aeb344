package ai.molecule.build;

import ai.molecule.core.LayerCache;
import ai.molecule.core.MoleculeException;
import ai.molecule.debian.ArchiveClient;
import ai.molecule.debian.DebianLock;
import ai.molecule.debian.LockedPackage;
import ai.molecule.debian.Locker;
import ai.molecule.debian.TrustedKeys;
import ai.molecule.image.DebianSpec;
import ai.molecule.image.ImageSpec;
import ai.molecule.image.PipLayer;
import ai.molecule.lock.LockRequest;
import ai.molecule.lock.MoleculeLock;
import ai.molecule.npm.NpmInstaller;
import ai.molecule.npm.NpmLock;
import ai.molecule.pip.PipInstaller;
import ai.molecule.pip.PipLock;
import ai.molecule.rootfs.BaseSystem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The resolve stage. A build takes every Debian, npm and pip component exactly from {@code
 * molecule.lock}, after checking that each section was resolved from what the POM declares now;
 * only {@link #lock} runs a resolver.
 */
final class Resolver {
    private static final Pattern PYTHON = Pattern.compile("python3\\.\\d+");

    private final BuildContext context;

    Resolver(BuildContext context) {
        this.context = context;
    }

    Resolution resolve(ImageSpec spec, BaseLayers base) throws MoleculeException, IOException {
        if (spec.osPackages() == null && spec.npm() == null && spec.pip() == null) {
            return new Resolution(base, null, null, null);
        }
        Path file = spec.lockFile();
        MoleculeLock lock = readLock(file);
        requireNoStaleSections(spec, lock, file);
        BaseSystem baseSystem = null;
        if (spec.osPackages() != null) {
            baseSystem = baseSystem(base);
            section(lock.debian(), lock, file, "Debian", "<debian>")
                    .requireInputs(DebianLock.Inputs.of(spec.osPackages().debian(), installed(baseSystem)), file);
        }
        if (spec.npm() != null) {
            section(lock.npm(), lock, file, "npm", "<npm>").requireInputs(NpmLock.Inputs.of(spec.npm()), file);
        }
        PipLayer pip = null;
        if (spec.pip() != null) {
            pip = spec.pip().forPython(pythonVersion(spec.pip(), debs(lock.debian())));
            section(lock.pip(), lock, file, "pip", "<pip>").requireInputs(PipLock.Inputs.of(pip, project(file)), file);
        }
        return new Resolution(base, baseSystem, lock, pip);
    }

    /**
     * Resolves what is not locked yet or asked to be upgraded, keeping every other component of
     * {@code previous} as it is.
     *
     * @param previous {@code null} when there is no lock yet
     */
    MoleculeLock lock(ImageSpec spec, BaseLayers base, MoleculeLock previous, LockRequest request)
            throws MoleculeException, IOException {
        Set<String> update = request.update();
        DebianLock debian = null;
        if (spec.osPackages() != null) {
            DebianSpec debianSpec = spec.osPackages().debian();
            BaseSystem baseSystem = baseSystem(base);
            List<String> installed = installed(baseSystem);
            DebianLock old = previous == null ? null : previous.debian();
            if (keep(old, request, old == null ? Set.of() : old.versions().keySet())
                    && old.inputs().equals(DebianLock.Inputs.of(debianSpec, installed))) {
                debian = old;
            } else {
                debian = Locker.lock(
                        debianSpec,
                        baseSystem.installed(),
                        archive(context, debianSpec),
                        context.log(),
                        request.upgrade() ? null : old,
                        update);
            }
        }
        NpmLock npm = null;
        if (spec.npm() != null) {
            NpmLock old = previous == null ? null : previous.npm();
            if (keep(old, request, old == null ? Set.of() : names(old))
                    && old.inputs().equals(NpmLock.Inputs.of(spec.npm()))) {
                npm = old;
            } else {
                npm = new NpmInstaller(
                                context.cache(), context.cacheRoot().resolve("npm"), context.log(), context.offline())
                        .lock(spec.npm(), request.upgrade() ? null : old, update);
            }
        }
        PipLock pip = null;
        if (spec.pip() != null) {
            PipLayer layer = spec.pip().forPython(pythonVersion(spec.pip(), debs(debian)));
            PipLock old = previous == null ? null : previous.pip();
            if (keep(old, request, old == null ? Set.of() : old.versions().keySet())
                    && old.inputs().equals(PipLock.Inputs.of(layer, project(spec.lockFile())))) {
                pip = old;
            } else {
                pip = new PipInstaller(context.cache(), context.log(), "python3")
                        .lock(layer, request.upgrade() ? null : old, update, project(spec.lockFile()));
            }
        }
        MoleculeLock next = new MoleculeLock(debian, npm, pip);
        requireKnown(update, previous, next);
        return next;
    }

    /** A section stays as it is when nothing asks to re-resolve it; its inputs are compared by the caller. */
    private static boolean keep(Object section, LockRequest request, Collection<String> names) {
        return section != null
                && !request.upgrade()
                && request.update().stream().noneMatch(names::contains);
    }

    private static Set<String> names(NpmLock lock) {
        Set<String> names = new TreeSet<>();
        lock.nodes().stream().filter(node -> !node.path().isEmpty()).forEach(node -> names.add(node.name()));
        return names;
    }

    private static void requireKnown(Set<String> update, MoleculeLock previous, MoleculeLock next)
            throws MoleculeException {
        Set<String> known = new TreeSet<>();
        for (MoleculeLock lock : new MoleculeLock[] {previous, next}) {
            if (lock == null) {
                continue;
            }
            if (lock.debian() != null) {
                known.addAll(lock.debian().versions().keySet());
            }
            if (lock.npm() != null) {
                known.addAll(names(lock.npm()));
            }
            if (lock.pip() != null) {
                known.addAll(lock.pip().versions().keySet());
            }
        }
        List<String> unknown = update.stream()
                .filter(name -> !known.contains(name) && !known.contains(PipLayer.normalize(name)))
                .toList();
        if (!unknown.isEmpty()) {
            throw new MoleculeException("-Dmolecule.lock.update names " + unknown + ", which the lock does not hold"
                    + " in any ecosystem. Write the names as the lock file spells them (Debian package, npm package"
                    + " with its @scope, pip project)");
        }
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

    private static List<String> installed(BaseSystem baseSystem) {
        return new TreeMap<>(baseSystem.installed())
                .entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
    }

    private static List<LockedPackage> debs(DebianLock lock) {
        return lock == null ? List.of() : lock.packages();
    }

    /** The directory the lock's paths are relative to: the lock file's. */
    private static Path project(Path lockFile) {
        return lockFile.toAbsolutePath().normalize().getParent();
    }

    private static MoleculeLock readLock(Path file) throws MoleculeException {
        if (!Files.exists(file)) {
            throw new MoleculeException("No " + file + ": the image's Debian, npm and pip components are installed"
                    + " exactly as the lock file names them. Run `mvn molecule:lock` to resolve and write it, then"
                    + " commit it");
        }
        return MoleculeLock.read(file);
    }

    private static <T> T section(T section, MoleculeLock lock, Path file, String ecosystem, String element)
            throws MoleculeException {
        if (section == null) {
            throw new MoleculeException(file + " has no " + ecosystem + " section but the POM declares " + element
                    + (lock.format() == 1 ? " (the file is in lock format 1, which locked only Debian packages)" : "")
                    + ". Run `mvn molecule:lock` to lock it, review the diff and commit it");
        }
        return section;
    }

    private static void requireNoStaleSections(ImageSpec spec, MoleculeLock lock, Path file) throws MoleculeException {
        List<String> stale = new ArrayList<>();
        if (lock.debian() != null && spec.osPackages() == null) {
            stale.add("Debian (<debian>)");
        }
        if (lock.npm() != null && spec.npm() == null) {
            stale.add("npm (<npm>)");
        }
        if (lock.pip() != null && spec.pip() == null) {
            stale.add("pip (<pip>)");
        }
        if (!stale.isEmpty()) {
            throw new MoleculeException(file + " locks " + String.join(", ", stale) + " components the POM no longer"
                    + " declares. Run `mvn molecule:lock` to re-lock, review the diff and commit it");
        }
    }

    /**
     * The Python the pip layer targets: the Debian layer's {@code python3.X} when it installs one,
     * else the layer's own version, else {@value PipLayer#DEFAULT_PYTHON_VERSION} (bookworm's).
     */
    static String pythonVersion(PipLayer pip, List<LockedPackage> debs) throws MoleculeException {
        Optional<String> image = debs.stream()
                .map(LockedPackage::name)
                .filter(name -> PYTHON.matcher(name).matches())
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
