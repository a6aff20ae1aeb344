package ai.molecule.build;

import ai.molecule.core.CacheOutcome;
import ai.molecule.core.KeyDigest;
import ai.molecule.core.LayerCache;
import ai.molecule.core.MoleculeException;
import ai.molecule.debian.DebianLock;
import ai.molecule.debian.LockedPackage;
import ai.molecule.image.Account;
import ai.molecule.image.DebianSpec;
import ai.molecule.image.Group;
import ai.molecule.image.ImageSpec;
import ai.molecule.image.LayerKind;
import ai.molecule.image.OsPackages;
import ai.molecule.rootfs.AptSources;
import ai.molecule.rootfs.RootfsAssembler;
import ai.molecule.rootfs.RootfsException;
import ai.molecule.sbom.Component;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The Debian layer: the locked packages, downloaded and verified, assembled on top of the base's
 * dpkg state. Its cache key covers every locked package's hash, the accounts, the extra CA
 * certificates, the archive it points apt at, the base's layers and the timestamp.
 */
final class DebianStep implements LayerStep {
    /** Bump when the assembler's output changes for the same inputs. */
    private static final String FORMAT = "molecule-os-layer/1";

    private final ImageSpec spec;

    DebianStep(ImageSpec spec) {
        this.spec = spec;
    }

    @Override
    public LayerKind kind() {
        return LayerKind.DEBIAN;
    }

    @Override
    public String name() {
        return "debian";
    }

    @Override
    public Built build(BuildContext context, Resolution resolution) throws MoleculeException, IOException {
        OsPackages os = spec.osPackages();
        DebianLock lock = resolution.lock().debian();
        String key = key(os, lock, resolution.base());
        String suite = os.debian().suite();
        List<Component> sbom = lock.packages().stream()
                .map(p -> Component.deb(
                        p.name(),
                        p.version(),
                        p.architecture(),
                        suite,
                        p.sha256(),
                        p.url().toString()))
                .toList();
        Optional<LayerCache.Blob> hit = context.cache().lookupLayer(key);
        if (hit.isPresent()) {
            return new Built(key, hit.get(), CacheOutcome.HIT, sbom);
        }
        context.log()
                .info("Installing " + lock.packages().size() + " Debian packages from "
                        + spec.lockFile().getFileName());
        List<Path> debs = Resolver.archive(context, os.debian()).download(lock.packages());
        RootfsAssembler assembler = RootfsAssembler.builder()
                .packages(debs)
                .base(resolution.baseSystem())
                .mtime(spec.creationTime())
                .accounts(os.accounts())
                .groups(os.groups())
                .extraCaCertificates(os.caCertificates())
                .aptSources(AptSources.of(os.debian()))
                .log(context.log())
                .build();
        RootfsException[] refused = new RootfsException[1];
        try {
            LayerCache.Blob blob = context.cache().storeLayer(key, out -> {
                try {
                    assembler.assemble(out);
                } catch (RootfsException e) {
                    refused[0] = e;
                    // Abort the store: the cache deletes the partial blob and records no key.
                    throw new IOException(e.getMessage(), e);
                }
            });
            return new Built(key, blob, CacheOutcome.MISS, sbom);
        } catch (IOException e) {
            if (refused[0] != null) {
                throw refused[0];
            }
            throw e;
        }
    }

    private String key(OsPackages os, DebianLock lock, BaseLayers base) throws IOException {
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
