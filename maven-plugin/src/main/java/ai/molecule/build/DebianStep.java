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
import ai.molecule.rootfs.OsLayerPlan;
import ai.molecule.rootfs.RootfsAssembler;
import ai.molecule.sbom.Component;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Debian layers: the locked packages, downloaded and verified, assembled on top of the base's
 * dpkg state and split by {@link OsLayerPlan}. A package layer's cache key covers its packages'
 * hashes and what decides where their files land (merged-/usr, the timestamp); the system layer's
 * covers every locked package, the accounts, the extra CA certificates, the archive it points apt
 * at and the base's layers. The packages are downloaded and assembled only when a layer is missing.
 */
final class DebianStep implements LayerStep {
    /** Bump when the assembler's output changes for the same inputs. */
    private static final String FORMAT = "molecule-os-layer/2";

    private final ImageSpec spec;

    DebianStep(ImageSpec spec) {
        this.spec = spec;
    }

    @Override
    public LayerKind kind() {
        return LayerKind.DEBIAN;
    }

    @Override
    public List<Built> build(BuildContext context, Resolution resolution) throws MoleculeException, IOException {
        OsPackages os = spec.osPackages();
        DebianLock lock = resolution.lock().debian();
        Map<String, String> inBase = resolution.baseSystem().installed();
        List<LockedPackage> fresh = lock.packages().stream()
                .filter(p -> !p.version().equals(inBase.get(p.name())))
                .toList();
        OsLayerPlan plan = OsLayerPlan.of(fresh.stream()
                .map(p -> new OsLayerPlan.Package(p.name(), p.path(), p.size()))
                .toList());
        String suite = os.debian().suite();
        Map<String, Component> components = new LinkedHashMap<>();
        for (LockedPackage p : lock.packages()) {
            components.put(
                    p.name(),
                    Component.deb(
                            p.name(),
                            p.version(),
                            p.architecture(),
                            suite,
                            p.sha256(),
                            p.url().toString()));
        }
        boolean baseFiles =
                fresh.stream().anyMatch(p -> p.name().equals("base-files")) || inBase.containsKey("base-files");
        Map<String, LockedPackage> byName = new HashMap<>();
        fresh.forEach(p -> byName.put(p.name(), p));

        List<String> names = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        List<List<Component>> installed = new ArrayList<>();
        for (OsLayerPlan.Group group : plan.groups()) {
            names.add(group.name());
            keys.add(packageLayerKey(group, byName, baseFiles));
            installed.add(group.packages().stream().map(components::remove).toList());
        }
        names.add(RootfsAssembler.SYSTEM_LAYER);
        keys.add(systemKey(os, lock, resolution.base()));
        // Packages already in the base image are listed with the layer above it.
        installed.add(List.copyOf(components.values()));

        List<Optional<LayerCache.Blob>> hits = new ArrayList<>();
        for (String key : keys) {
            hits.add(context.cache().lookupLayer(key));
        }
        List<Built> built = new ArrayList<>();
        if (hits.stream().allMatch(Optional::isPresent)) {
            for (int i = 0; i < keys.size(); i++) {
                built.add(new Built(names.get(i), keys.get(i), hits.get(i).get(), CacheOutcome.HIT, installed.get(i)));
            }
            return built;
        }
        long missing = hits.stream().filter(Optional::isEmpty).count();
        context.log()
                .info("Installing " + lock.packages().size() + " Debian packages from "
                        + spec.lockFile().getFileName() + " for " + missing + " of " + keys.size() + " layers");
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
        try (RootfsAssembler.Assembled assembled = assembler.assemble(plan)) {
            if (!assembled.layers().equals(names)) {
                throw new IllegalStateException(
                        "the assembly made layers " + assembled.layers() + ", the plan " + names);
            }
            for (int i = 0; i < keys.size(); i++) {
                int layer = i;
                LayerCache.Blob blob = hits.get(i).isPresent()
                        ? hits.get(i).get()
                        : context.cache().storeLayer(keys.get(i), out -> assembled.write(layer, out));
                built.add(new Built(
                        names.get(i),
                        keys.get(i),
                        blob,
                        hits.get(i).isPresent() ? CacheOutcome.HIT : CacheOutcome.MISS,
                        installed.get(i)));
            }
        }
        return built;
    }

    /** What a package layer holds depends on its packages, merged-/usr's aliases and the timestamp only. */
    private String packageLayerKey(OsLayerPlan.Group group, Map<String, LockedPackage> byName, boolean baseFiles) {
        KeyDigest key = new KeyDigest(FORMAT + " packages");
        key.line("mtime " + spec.creationTime().getEpochSecond());
        key.line("base-files-aliases " + baseFiles);
        for (String name : group.packages()) {
            LockedPackage p = byName.get(name);
            key.line("deb " + p.name() + " " + p.version() + " " + p.architecture() + " " + p.sha256());
        }
        return key.hex();
    }

    private String systemKey(OsPackages os, DebianLock lock, BaseLayers base) throws IOException {
        KeyDigest key = new KeyDigest(FORMAT + " system");
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
