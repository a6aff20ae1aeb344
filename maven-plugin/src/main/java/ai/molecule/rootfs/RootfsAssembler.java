package ai.molecule.rootfs;

import ai.molecule.core.BuildLog;
import ai.molecule.core.Futures;
import ai.molecule.core.LayerCache;
import ai.molecule.image.Account;
import ai.molecule.image.Group;
import ai.molecule.rootfs.PackageUnpacker.Unpacked;
import ai.molecule.rootfs.RootfsTree.Kind;
import ai.molecule.rootfs.RootfsTree.Node;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarFile;

/**
 * Turns a set of .deb files into the root filesystem they make, as one layer tar or as the layers
 * of an {@link OsLayerPlan} — without running a maintainer script. What the scripts would do that an image needs is done here
 * instead: accounts, merged-/usr, {@code /bin/sh}, alternatives, PAM's common files, the CA
 * bundle, the dpkg database, shells, and the defaults Essential packages copy into {@code /etc}.
 * The same inputs always give the same bytes.
 *
 * <pre>{@code
 * RootfsAssembler.builder()
 *         .packages(debs)                       // ordered; already downloaded and verified
 *         .mtime(Instant.EPOCH.plusSeconds(1))
 *         .accounts(List.of(new Account("agent", 1000, 1000, "/home/agent", "/bin/bash", List.of("docker"))))
 *         .groups(List.of(new Group("docker", 999)))
 *         .build()
 *         .assemble(layerTar);
 * }</pre>
 */
public final class RootfsAssembler {
    /** The layer above the package layers of an {@link OsLayerPlan}; the only one of {@link OsLayerPlan#SINGLE}. */
    public static final String SYSTEM_LAYER = "debian-system";

    /** Extraction threads; xz decoding dominates assembly time and scales with cores. */
    private static final int MAX_WORKERS = 8;

    /**
     * THE order of everything done to the tree between unpacking and writing the tar, one effect
     * after another. Later effects see what earlier ones wrote: special directories need the
     * accounts' homes, alternatives and apt's sources look at the files already there, and missing
     * parents comes last so that every path written has its directories.
     */
    static final List<RootfsEffect> EFFECTS = List.of(
            RootfsEffect.of("permission-fixes", a -> {
                for (DebArchive deb : a.fresh()) {
                    PermissionFixes.apply(a.tree(), deb, a.log());
                }
            }),
            RootfsEffect.of(
                    "alias-links", a -> AliasLinks.apply(a.tree(), a.names().contains("base-files"))),
            RootfsEffect.of(
                    "package-defaults",
                    a -> PackageDefaults.apply(
                            a.tree(), a.names(), a.base().dpkgStatus().isBlank(), a.log())),
            RootfsEffect.of("shells", a -> Shells.apply(a.tree(), a.names())),
            RootfsEffect.of(
                    "accounts",
                    a -> a.accountDatabase(AccountFiles.write(
                            a.tree(), a.fresh(), a.names(), a.base(), a.groups(), a.accounts(), a.mtime(), a.log()))),
            RootfsEffect.of("special-directories", a -> SpecialDirectories.apply(a.tree(), a.accountDatabase())),
            RootfsEffect.of(
                    "alternatives",
                    a -> a.alternatives(AlternativeLinks.apply(a.tree(), a.fresh(), a.base(), a.log()))),
            RootfsEffect.of("pam-auth-update", a -> PamAuthUpdate.apply(a.tree(), a.names(), a.log())),
            RootfsEffect.of("ca-certificates", a -> {
                if (a.names().contains("ca-certificates")) {
                    CaCertificates.apply(a.tree(), a.extraCaCertificates());
                }
            }),
            RootfsEffect.of("apt-sources", a -> {
                Optional<AptSources> sources = a.aptSources();
                if (sources.isPresent() && a.names().contains("apt")) {
                    a.tree()
                            .addFile(
                                    AptSources.PATH, sources.get().text(a.tree().exists(AptSources.KEYRING)), 0644);
                }
            }),
            RootfsEffect.of("dpkg-database", a -> DpkgDatabase.write(a.tree(), a.base(), a.unpacked())),
            RootfsEffect.of("missing-parents", a -> a.tree().addMissingParents()));

    private final List<Path> packages;
    private final BaseSystem base;
    private final Instant mtime;
    private final List<Account> accounts;
    private final List<Group> groups;
    private final List<Path> extraCaCertificates;
    private final AptSources aptSources;
    private final Path spoolDirectory;
    private final List<Reusable> reusable;
    private final Map<Path, String> digests;
    private final BuildLog log;

    private record Reusable(Path layer, Path index) {}

    /** What an assembly produced, for the build report. */
    public record Result(
            List<String> installed,
            List<String> alreadyInBase,
            int entries,
            long bytes,
            SortedMap<String, String> alternatives) {
        public Result {
            installed = List.copyOf(installed);
            alreadyInBase = List.copyOf(alreadyInBase);
            alternatives = new TreeMap<>(alternatives);
        }
    }

    private RootfsAssembler(Builder builder) {
        this.packages = List.copyOf(builder.packages);
        this.base = builder.base;
        this.mtime = builder.mtime;
        this.accounts = List.copyOf(builder.accounts);
        this.groups = List.copyOf(builder.groups);
        this.extraCaCertificates = List.copyOf(builder.extraCaCertificates);
        this.aptSources = builder.aptSources;
        this.spoolDirectory = builder.spoolDirectory;
        this.reusable = List.copyOf(builder.reusable);
        this.digests = new ConcurrentHashMap<>(builder.digests);
        this.log = builder.log;
    }

    /** The SHA-256 of {@code deb}'s file: as the caller verified it, else hashed once. */
    private String digest(DebArchive deb) {
        return digests.computeIfAbsent(deb.file(), file -> {
            try {
                return LayerCache.sha256(file);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read " + file, e);
            }
        });
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Writes the whole root filesystem as one layer tar to {@code out} (not closed).
     *
     * @throws IOException a .deb or an extra certificate cannot be read, or writing fails
     * @throws RootfsException the inputs do not make one consistent system (conflicting files,
     *     duplicate packages, impossible accounts); every problem is listed
     */
    public Result assemble(OutputStream out) throws IOException, RootfsException {
        try (Assembled assembled = assemble(OsLayerPlan.SINGLE)) {
            CountingStream counting = new CountingStream(out);
            int entries = assembled.write(0, counting);
            return new Result(
                    assembled.installed, assembled.alreadyInBase, entries, counting.count, assembled.alternatives);
        }
    }

    /**
     * Assembles the root filesystem and splits it into the layers of {@code plan}, to be written
     * with {@link Assembled#write}: each of the plan's groups holds exactly what its packages ship,
     * and {@link #SYSTEM_LAYER} on top of them whatever the assembled system has that they do not
     * (the maintainer scripts' work, a file one package replaced in another's layer, a mode fixed).
     * Every package the assembly writes must be in one of the plan's groups, unless the plan has
     * none ({@link OsLayerPlan#SINGLE}).
     *
     * @throws IOException a .deb or an extra certificate cannot be read
     * @throws RootfsException the inputs do not make one consistent system (conflicting files,
     *     duplicate packages, impossible accounts); every problem is listed
     */
    public Assembled assemble(OsLayerPlan plan) throws IOException, RootfsException {
        if (base.splitUsr()) {
            throw new RootfsException("The base image has /bin, /sbin or /lib* as real directories (split /usr);"
                    + " the assembled layer is merged-/usr and its /bin → usr/bin link would hide the base's"
                    + " /bin. Use a merged-/usr base (every Debian since 12 bookworm) or no base");
        }
        List<DebArchive> debs = open();
        Map<String, String> inBase = base.installed();
        List<DebArchive> fresh = new ArrayList<>();
        List<String> alreadyInBase = new ArrayList<>();
        for (DebArchive deb : debs) {
            if (deb.version().equals(inBase.get(deb.name()))) {
                alreadyInBase.add(deb.name() + "=" + deb.version());
            } else {
                fresh.add(deb);
            }
        }
        if (!alreadyInBase.isEmpty()) {
            log.info("Already installed in the base image, not written again: " + String.join(", ", alreadyInBase));
        }
        Set<String> names = new LinkedHashSet<>();
        fresh.forEach(deb -> names.add(deb.name()));
        CaCertificates.validate(extraCaCertificates, names.contains("ca-certificates"));

        Map<String, String> aliasMap = new LinkedHashMap<>(PathAliases.MERGED_USR);
        boolean baseFiles = names.contains("base-files") || inBase.containsKey("base-files");
        if (baseFiles) {
            aliasMap.putAll(PackageDefaults.BASE_FILES_ALIASES);
        }
        PathAliases aliases = new PathAliases(aliasMap);
        int workers = workers();
        List<ContentSpool> spools = new ArrayList<>();
        ExecutorService pool = extractors("rootfs-extract");
        boolean assembled = false;
        try {
            BlockingQueue<ContentSpool> idle = new ArrayBlockingQueue<>(workers);
            for (int i = 0; i <= workers; i++) {
                spools.add(ContentSpool.create(spoolDirectory));
            }
            idle.addAll(spools.subList(1, spools.size()));
            RootfsTree tree = new RootfsTree(spools.get(0), aliases);
            Map<String, PackageUnpacker.Extracted> reused = reuse(fresh, aliases, spools);
            List<Future<PackageUnpacker.Extracted>> extracting = new ArrayList<>();
            for (DebArchive deb : fresh) {
                PackageUnpacker.Extracted fromLayer = reused.get(deb.name());
                if (fromLayer != null) {
                    extracting.add(CompletableFuture.completedFuture(fromLayer));
                    continue;
                }
                extracting.add(pool.submit(() -> {
                    ContentSpool spool = idle.take();
                    try {
                        return PackageUnpacker.extract(deb, spool);
                    } finally {
                        idle.add(spool);
                    }
                }));
            }
            long unpackStart = System.nanoTime();
            PackageUnpacker unpacker = new PackageUnpacker(tree, log);
            List<Unpacked> unpacked = new ArrayList<>();
            List<PackageUnpacker.Extracted> extractedAll = new ArrayList<>();
            for (Future<PackageUnpacker.Extracted> extracted : extracting) {
                extractedAll.add(Futures.await(extracted, "reading packages"));
                unpacked.add(unpacker.place(extractedAll.get(extractedAll.size() - 1)));
            }
            if (!unpacker.problems().isEmpty()) {
                throw new RootfsException(unpacker.problems());
            }
            long effectsStart = System.nanoTime();
            Assembly assembly = new Assembly(
                    tree,
                    fresh,
                    names,
                    base,
                    unpacked,
                    accounts,
                    groups,
                    extraCaCertificates,
                    Optional.ofNullable(aptSources),
                    mtime,
                    log);
            for (RootfsEffect effect : EFFECTS) {
                log.debug("rootfs effect " + effect.name());
                effect.apply(assembly);
            }
            long layeringStart = System.nanoTime();
            Assembled result = new Assembled(plan, assembly, extractedAll, alreadyInBase, spools, this::digest);
            log.info(String.format(
                    "Assembled %d packages (%d taken from cached layers) into %d entries: unpacked in %d ms"
                            + " (%d threads), scripts' effects %d ms, layering %d ms",
                    fresh.size(),
                    reused.size(),
                    tree.nodes().size(),
                    (effectsStart - unpackStart) / 1_000_000,
                    workers,
                    (layeringStart - effectsStart) / 1_000_000,
                    (System.nanoTime() - layeringStart) / 1_000_000));
            assembled = true;
            return result;
        } finally {
            pool.shutdownNow();
            if (!assembled) {
                closeAll(spools);
            }
        }
    }

    /**
     * The packages of the {@link Builder#reusing reused layers}, read back from their indexes and
     * the layers' files; a package whose file the layer does not hold where its index says is left
     * to be extracted.
     */
    private Map<String, PackageUnpacker.Extracted> reuse(
            List<DebArchive> fresh, PathAliases aliases, List<ContentSpool> spools) throws IOException {
        Map<String, DebArchive> byName = new HashMap<>();
        fresh.forEach(deb -> byName.put(deb.name(), deb));
        Map<String, PackageUnpacker.Extracted> reused = new HashMap<>();
        for (Reusable layer : reusable) {
            Optional<Map<String, ShippedIndex.Shipped>> index;
            try (InputStream in = Files.newInputStream(layer.index())) {
                index = ShippedIndex.read(in);
            }
            if (index.isEmpty()) {
                log.warn("Layer index " + layer.index() + " is unreadable; its packages are unpacked again");
                continue;
            }
            Map<String, TarArchiveEntry> entries = new HashMap<>();
            try (TarFile tar = new TarFile(layer.layer())) {
                for (TarArchiveEntry entry : tar.getEntries()) {
                    entries.put("/" + entry.getName(), entry);
                }
            }
            ContentSpool spool = ContentSpool.over(layer.layer());
            spools.add(spool);
            packages:
            for (Map.Entry<String, ShippedIndex.Shipped> shipped : index.get().entrySet()) {
                DebArchive deb = byName.get(shipped.getKey());
                if (deb == null
                        || reused.containsKey(deb.name())
                        || !digest(deb).equals(shipped.getValue().sha256())) {
                    continue; // not in this assembly, taken from another layer already, or another build of it
                }
                List<DebEntry> debEntries = shipped.getValue().entries();
                List<ContentSpool.Blob> contents = new ArrayList<>();
                for (int i = 0; i < debEntries.size(); i++) {
                    DebEntry entry = debEntries.get(i);
                    if (entry.type() != DebEntry.Type.FILE) {
                        contents.add(null);
                        continue;
                    }
                    TarArchiveEntry file = entries.get(aliases.canonical(entry.path()));
                    if (file != null && file.isLink()) {
                        file = entries.get("/" + file.getLinkName());
                    }
                    if (file == null || !file.isFile() || file.getSize() != entry.size()) {
                        log.debug(layer.layer() + " lacks " + entry.path() + " of " + deb.name() + "; unpacking it");
                        continue packages;
                    }
                    contents.add(spool.at(
                            file.getDataOffset(),
                            entry.size(),
                            shipped.getValue().md5s().get(i)));
                }
                reused.put(deb.name(), new PackageUnpacker.Extracted(deb, debEntries, contents));
            }
        }
        return reused;
    }

    private static void closeAll(List<ContentSpool> spools) throws IOException {
        IOException failure = null;
        for (ContentSpool spool : spools) {
            try {
                spool.close();
            } catch (IOException e) {
                failure = failure == null ? e : failure;
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /**
     * An assembled root filesystem split into layers: the plan's groups, bottom first, then {@link
     * #SYSTEM_LAYER}. Holds the spooled file contents until closed.
     */
    public static final class Assembled implements AutoCloseable {
        private final List<String> layers = new ArrayList<>();
        private final List<RootfsTree> trees = new ArrayList<>();
        private final RootfsTarWriter.Ownership resolved;
        private final Instant mtime;
        private final List<String> installed;
        private final List<String> alreadyInBase;
        private final SortedMap<String, String> alternatives;
        private final List<ContentSpool> spools;
        private final Function<DebArchive, String> digest;

        private final List<List<PackageUnpacker.Extracted>> groupPackages = new ArrayList<>();

        private Assembled(
                OsLayerPlan plan,
                Assembly assembly,
                List<PackageUnpacker.Extracted> extracted,
                List<String> alreadyInBase,
                List<ContentSpool> spools,
                Function<DebArchive, String> digest) {
            this.digest = digest;
            this.resolved = RootfsTarWriter.Ownership.of(assembly.accountDatabase());
            this.mtime = assembly.mtime();
            this.installed = assembly.fresh().stream()
                    .map(d -> d.name() + "=" + d.version())
                    .toList();
            this.alreadyInBase = List.copyOf(alreadyInBase);
            this.alternatives = assembly.alternatives();
            this.spools = spools;
            RootfsTree tree = assembly.tree();
            Map<String, Unpacked> byName = new HashMap<>();
            assembly.unpacked().forEach(u -> byName.put(u.deb().name(), u));
            Map<String, PackageUnpacker.Extracted> extractedByName = new HashMap<>();
            extracted.forEach(e -> extractedByName.put(e.deb().name(), e));
            Set<String> planned = new HashSet<>();
            for (OsLayerPlan.Group group : plan.groups()) {
                RootfsTree layer = new RootfsTree(tree.spool(), tree.aliases());
                List<PackageUnpacker.Extracted> members = new ArrayList<>();
                for (String name : group.packages()) {
                    Unpacked unpacked = byName.get(name);
                    if (unpacked == null) {
                        continue; // in the base image
                    }
                    planned.add(name);
                    members.add(extractedByName.get(name));
                    for (Node node : unpacked.shipped()) {
                        Optional<Node> existing = layer.get(node.path());
                        if (existing.isEmpty() || !bothDirectories(existing.get(), node)) {
                            layer.put(node);
                        }
                    }
                }
                layer.addMissingParents();
                layers.add(group.name());
                trees.add(layer);
                groupPackages.add(members);
            }
            if (!plan.groups().isEmpty()) {
                List<String> unplanned = assembly.names().stream()
                        .filter(name -> !planned.contains(name))
                        .toList();
                if (!unplanned.isEmpty()) {
                    throw new IllegalArgumentException("The layer plan puts " + unplanned + " in no layer");
                }
            }
            layers.add(SYSTEM_LAYER);
            trees.add(systemLayer(tree));
        }

        /**
         * What the assembled tree has that the package layers, as an engine stacks them, do not: an
         * entry they lack or hold otherwise (content, type, mode, owner).
         */
        private RootfsTree systemLayer(RootfsTree tree) {
            Map<String, Node> stacked = new TreeMap<>(RootfsTree.PATH_ORDER);
            for (RootfsTree layer : trees) {
                for (Node node : layer.nodes()) {
                    Node below = stacked.put(node.path(), node);
                    if (below != null && below.kind() == Kind.DIRECTORY && node.kind() != Kind.DIRECTORY) {
                        // An engine drops a directory's contents when an upper layer puts a non-directory there.
                        stacked.keySet().removeIf(path -> path.startsWith(node.path() + "/"));
                    }
                }
            }
            RootfsTree system = new RootfsTree(tree.spool(), tree.aliases());
            Set<String> present = new HashSet<>();
            for (Node node : tree.nodes()) {
                present.add(node.path());
                Node below = stacked.get(node.path());
                if (!node.path().equals("/") && (below == null || !same(node, below))) {
                    system.put(node);
                }
            }
            for (String path : stacked.keySet()) {
                if (!present.contains(path)) {
                    throw new IllegalStateException("The package layers hold " + path + ", which the assembled"
                            + " system does not; the layering would show a file that is not installed");
                }
            }
            return system;
        }

        /** Whether an engine shows {@code below} (written as shipped) as {@code node} is assembled. */
        private boolean same(Node node, Node below) {
            if (node.kind() != below.kind()
                    || resolved.uid(node) != RootfsTarWriter.Ownership.SHIPPED.uid(below)
                    || resolved.gid(node) != RootfsTarWriter.Ownership.SHIPPED.gid(below)) {
                return false;
            }
            return switch (node.kind()) {
                case DIRECTORY -> node.mode() == below.mode();
                case SYMLINK -> node.linkTarget().equals(below.linkTarget());
                case FILE ->
                    node.mode() == below.mode()
                            && node.content().size() == below.content().size()
                            && node.content().md5().equals(below.content().md5());
            };
        }

        private static boolean bothDirectories(Node a, Node b) {
            return a.kind() == Kind.DIRECTORY && b.kind() == Kind.DIRECTORY;
        }

        /** The layers' names, bottom first: the plan's groups (those with a package here), then {@link #SYSTEM_LAYER}. */
        public List<String> layers() {
            return List.copyOf(layers);
        }

        /**
         * Writes layer {@code index} of {@link #layers()} as a tar to {@code out} (not closed). A
         * package layer's owners are the ids its packages' tars give; the system layer's are
         * resolved against the assembled accounts.
         *
         * @return the number of entries written
         */
        public int write(int index, OutputStream out) throws IOException {
            boolean system = index == trees.size() - 1;
            return RootfsTarWriter.write(
                    trees.get(index), system ? resolved : RootfsTarWriter.Ownership.SHIPPED, mtime, out);
        }

        /**
         * The index of package layer {@code index} (not of the system layer) for {@link
         * Builder#reusing}: what each of its packages ships, listing only packages whose every file
         * the layer holds as they ship it.
         */
        public byte[] index(int index) {
            RootfsTree layer = trees.get(index);
            List<PackageUnpacker.Extracted> whole = new ArrayList<>();
            for (PackageUnpacker.Extracted extracted : groupPackages.get(index)) {
                boolean held = true;
                for (int i = 0; i < extracted.entries().size() && held; i++) {
                    DebEntry entry = extracted.entries().get(i);
                    if (entry.type() == DebEntry.Type.FILE) {
                        Optional<Node> node = layer.get(entry.path());
                        held = node.isPresent()
                                && node.get().kind() == Kind.FILE
                                && extracted.contents().get(i).equals(node.get().content());
                    }
                }
                if (held) {
                    whole.add(extracted);
                }
            }
            return ShippedIndex.write(whole, digest);
        }

        @Override
        public void close() throws IOException {
            closeAll(spools);
        }
    }

    /** Opens the packages (their control parts, decompressed) on all cores; each name once. */
    private List<DebArchive> open() throws IOException, RootfsException {
        ExecutorService pool = extractors("rootfs-open");
        List<Future<DebArchive>> opening = new ArrayList<>();
        try {
            for (Path file : packages) {
                opening.add(pool.submit(() -> DebArchive.open(file)));
            }
            List<DebArchive> debs = new ArrayList<>();
            Map<String, DebArchive> seen = new HashMap<>();
            List<String> problems = new ArrayList<>();
            for (Future<DebArchive> opened : opening) {
                DebArchive deb = Futures.await(opened, "reading packages");
                DebArchive other = seen.putIfAbsent(deb.dpkgName(), deb);
                if (other != null) {
                    problems.add("Package " + deb.dpkgName() + " is given twice (" + other.file() + " and " + deb.file()
                            + "); pass each package once");
                }
                debs.add(deb);
            }
            if (!problems.isEmpty()) {
                throw new RootfsException(problems);
            }
            return debs;
        } finally {
            pool.shutdownNow();
        }
    }

    private static int workers() {
        return Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), MAX_WORKERS));
    }

    private static ExecutorService extractors(String name) {
        return Executors.newFixedThreadPool(workers(), runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        });
    }

    private static final class CountingStream extends FilterOutputStream {
        private long count;

        CountingStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }

        @Override
        public void close() {
            // The caller owns the stream.
        }
    }

    /** Collects the inputs; everything but the packages has a default. */
    public static final class Builder {
        private List<Path> packages = List.of();
        private BaseSystem base = BaseSystem.EMPTY;
        private Instant mtime = Instant.EPOCH.plusSeconds(1);
        private List<Account> accounts = List.of();
        private List<Group> groups = List.of();
        private List<Path> extraCaCertificates = List.of();
        private AptSources aptSources;
        private Path spoolDirectory;
        private final List<Reusable> reusable = new ArrayList<>();
        private final Map<Path, String> digests = new HashMap<>();
        private BuildLog log = BuildLog.SILENT;

        private Builder() {}

        /** The .deb files, in the order dpkg would unpack them; later ones win ties. */
        public Builder packages(List<Path> packages) {
            this.packages = List.copyOf(packages);
            return this;
        }

        public Builder base(BaseSystem base) {
            this.base = Objects.requireNonNull(base, "base");
            return this;
        }

        /** Every entry's mtime; also the shadow files' "last password change" day. */
        public Builder mtime(Instant mtime) {
            this.mtime = Objects.requireNonNull(mtime, "mtime");
            return this;
        }

        public Builder accounts(List<Account> accounts) {
            this.accounts = List.copyOf(accounts);
            return this;
        }

        public Builder groups(List<Group> groups) {
            this.groups = List.copyOf(groups);
            return this;
        }

        /** PEM files trusted in addition to Debian's CA set (e.g. a corporate proxy's CA). */
        public Builder extraCaCertificates(List<Path> extraCaCertificates) {
            this.extraCaCertificates = List.copyOf(extraCaCertificates);
            return this;
        }

        /** Written to {@code /etc/apt/sources.list.d/debian.sources} when apt is installed. */
        public Builder aptSources(AptSources aptSources) {
            this.aptSources = aptSources;
            return this;
        }

        /**
         * A package layer an earlier assembly wrote, with the index {@link Assembled#index} gave of
         * it: each package it lists that this assembly installs in the same build (same {@link
         * #verifiedDigests SHA-256}) is taken from the layer's files instead of being decompressed. The
         * layer may be an earlier version of one this assembly writes (its package set changed);
         * the first layer offering a package wins.
         */
        public Builder reusing(Path layer, Path index) {
            reusable.add(new Reusable(layer, index));
            return this;
        }

        /**
         * SHA-256 (hex) of {@link #packages} files the caller has verified, e.g. against a lock; a
         * package a {@link #reusing reused} layer offers is otherwise hashed to know it is the same
         * .deb.
         */
        public Builder verifiedDigests(Map<Path, String> digests) {
            this.digests.putAll(digests);
            return this;
        }

        /** Where file contents are parked while the layer is sorted; the system temp dir by default. */
        public Builder spoolDirectory(Path spoolDirectory) {
            this.spoolDirectory = spoolDirectory;
            return this;
        }

        public Builder log(BuildLog log) {
            this.log = Objects.requireNonNull(log, "log");
            return this;
        }

        public RootfsAssembler build() {
            return new RootfsAssembler(this);
        }
    }
}
