package ai.molecule.build;

import ai.molecule.core.BuildLog;
import ai.molecule.core.KeyDigest;
import ai.molecule.core.LayerCache;
import ai.molecule.core.MoleculeException;
import ai.molecule.debian.ArchiveClient;
import ai.molecule.debian.LockFile;
import ai.molecule.debian.LockedPackage;
import ai.molecule.debian.TrustedKeys;
import ai.molecule.image.Account;
import ai.molecule.image.DebianSpec;
import ai.molecule.image.Group;
import ai.molecule.image.ImageSpec;
import ai.molecule.image.OsPackages;
import ai.molecule.rootfs.AptSources;
import ai.molecule.rootfs.BaseSystem;
import ai.molecule.rootfs.RootfsAssembler;
import ai.molecule.rootfs.RootfsException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The Debian layer: the locked packages, downloaded and verified, assembled on top of the base's
 * dpkg state. Its cache key covers every locked package's hash, the accounts, the extra CA
 * certificates, the archive it points apt at, the base's layers and the timestamp.
 */
final class OsLayer {
    /** Bump when the assembler's output changes for the same inputs. */
    private static final String FORMAT = "molecule-os-layer/1";

    private final LayerCache cache;
    private final BuildLog log;
    private final boolean offline;

    OsLayer(LayerCache cache, BuildLog log, boolean offline) {
        this.cache = cache;
        this.log = log;
        this.offline = offline;
    }

    record Built(LayerCache.Blob blob, String key, boolean hit, List<LockedPackage> packages) {}

    Built build(ImageSpec spec, BaseLayers base) throws MoleculeException, IOException {
        OsPackages os = spec.osPackages();
        BaseSystem baseSystem = BaseSystem.read(
                base.layers().stream().map(LayerCache.Blob::path).toList());
        LockFile lock = readLock(os, baseSystem.installed());
        String key = key(spec, os, lock, base);
        Optional<LayerCache.Blob> hit = cache.lookup(key);
        if (hit.isPresent()) {
            return new Built(hit.get(), key, true, lock.packages());
        }
        log.info("Installing " + lock.packages().size() + " Debian packages from "
                + os.lockFile().getFileName());
        List<Path> debs = archive(os.debian()).download(lock.packages());
        RootfsAssembler assembler = RootfsAssembler.builder()
                .packages(debs)
                .base(baseSystem)
                .mtime(spec.creationTime())
                .accounts(os.accounts())
                .groups(os.groups())
                .extraCaCertificates(os.caCertificates())
                .aptSources(AptSources.of(os.debian()))
                .log(log)
                .build();
        RootfsException[] refused = new RootfsException[1];
        try {
            LayerCache.Blob blob = cache.store(key, out -> {
                try {
                    assembler.assemble(out);
                } catch (RootfsException e) {
                    refused[0] = e;
                    // Abort the store: the cache deletes the partial blob and records no key.
                    throw new IOException(e.getMessage(), e);
                }
            });
            return new Built(blob, key, false, lock.packages());
        } catch (IOException e) {
            if (refused[0] != null) {
                throw refused[0];
            }
            throw e;
        }
    }

    /** Resolves the spec's packages into a lock, against the base's dpkg state. */
    LockFile lock(OsPackages os, BaseLayers base) throws MoleculeException, IOException {
        BaseSystem baseSystem = BaseSystem.read(
                base.layers().stream().map(LayerCache.Blob::path).toList());
        return ai.molecule.debian.Locker.lock(os.debian(), baseSystem.installed(), archive(os.debian()), log);
    }

    private LockFile readLock(OsPackages os, Map<String, String> installed) throws MoleculeException {
        if (!Files.exists(os.lockFile())) {
            throw new MoleculeException("No " + os.lockFile() + ": the Debian packages of <debian> are installed"
                    + " exactly as the lock file names them. Run `mvn molecule:lock` to resolve and write it, then"
                    + " commit it");
        }
        LockFile lock = LockFile.read(os.lockFile());
        List<String> base = new TreeMap<>(installed)
                .entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
        lock.requireInputs(LockFile.Inputs.of(os.debian(), base), os.lockFile());
        return lock;
    }

    private ArchiveClient archive(DebianSpec debian) throws MoleculeException {
        return new ArchiveClient(cache, TrustedKeys.withKeyrings(debian.keyrings()), log, offline);
    }

    private static String key(ImageSpec spec, OsPackages os, LockFile lock, BaseLayers base) throws IOException {
        KeyDigest key = new KeyDigest(FORMAT);
        key.line("mtime " + spec.creationTime().getEpochSecond());
        base.layers().forEach(layer -> key.line("base " + layer.digest()));
        DebianSpec debian = os.debian();
        key.line("apt " + debian.archive() + " " + debian.securityArchive() + " " + debian.suite() + " "
                + debian.components());
        for (LockedPackage p : lock.packages()) {
            key.line("deb " + p.name() + " " + p.version() + " " + p.architecture() + " " + p.sha256());
        }
        for (Account account : os.accounts()) {
            key.line("account " + account);
        }
        for (Group group : os.groups()) {
            key.line("group " + group);
        }
        for (Path ca : os.caCertificates()) {
            try (InputStream in = Files.newInputStream(ca)) {
                key.line("ca " + ca.getFileName() + " "
                        + HexFormat.of().formatHex(KeyDigest.sha256().digest(in.readAllBytes())));
            }
        }
        return key.hex();
    }
}
