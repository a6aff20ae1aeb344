package ai.molecule.rootfs;

import ai.molecule.core.BuildLog;
import ai.molecule.image.Account;
import ai.molecule.image.Group;
import ai.molecule.rootfs.PackageUnpacker.Unpacked;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Turns a set of .deb files into one layer tar holding the root filesystem they make — without
 * running a maintainer script. What the scripts would do that an image needs is done here
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
    private final BuildLog log;

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
        this.log = builder.log;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Writes the layer tar to {@code out} (not closed).
     *
     * @throws IOException a .deb or an extra certificate cannot be read, or writing fails
     * @throws RootfsException the inputs do not make one consistent system (conflicting files,
     *     duplicate packages, impossible accounts); every problem is listed
     */
    public Result assemble(OutputStream out) throws IOException, RootfsException {
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
        int workers = Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), MAX_WORKERS));
        List<ContentSpool> spools = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(workers, runnable -> {
            Thread thread = new Thread(runnable, "rootfs-extract");
            thread.setDaemon(true);
            return thread;
        });
        try {
            BlockingQueue<ContentSpool> idle = new ArrayBlockingQueue<>(workers);
            for (int i = 0; i <= workers; i++) {
                spools.add(ContentSpool.create(spoolDirectory));
            }
            idle.addAll(spools.subList(1, spools.size()));
            RootfsTree tree = new RootfsTree(spools.get(0), aliases);
            List<Future<PackageUnpacker.Extracted>> extracting = new ArrayList<>();
            for (DebArchive deb : fresh) {
                extracting.add(pool.submit(() -> {
                    ContentSpool spool = idle.take();
                    try {
                        return PackageUnpacker.extract(deb, spool);
                    } finally {
                        idle.add(spool);
                    }
                }));
            }
            PackageUnpacker unpacker = new PackageUnpacker(tree, log);
            List<Unpacked> unpacked = new ArrayList<>();
            for (Future<PackageUnpacker.Extracted> extracted : extracting) {
                unpacked.add(unpacker.place(await(extracted)));
            }
            if (!unpacker.problems().isEmpty()) {
                throw new RootfsException(unpacker.problems());
            }
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
            CountingStream counting = new CountingStream(out);
            int entries = RootfsTarWriter.write(tree, assembly.accountDatabase(), mtime, counting);
            List<String> installed =
                    fresh.stream().map(d -> d.name() + "=" + d.version()).toList();
            log.info("Assembled " + installed.size() + " packages into " + entries + " entries ("
                    + counting.count / (1024 * 1024) + " MiB)");
            return new Result(installed, alreadyInBase, entries, counting.count, assembly.alternatives());
        } finally {
            pool.shutdownNow();
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
    }

    private static PackageUnpacker.Extracted await(Future<PackageUnpacker.Extracted> extracted) throws IOException {
        try {
            return extracted.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while reading packages", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IOException(e.getCause());
        }
    }

    private List<DebArchive> open() throws IOException, RootfsException {
        List<DebArchive> debs = new ArrayList<>();
        Map<String, DebArchive> seen = new HashMap<>();
        List<String> problems = new ArrayList<>();
        for (Path file : packages) {
            DebArchive deb = DebArchive.open(file);
            DebArchive other = seen.putIfAbsent(deb.dpkgName(), deb);
            if (other != null) {
                problems.add("Package " + deb.dpkgName() + " is given twice (" + other.file() + " and " + file
                        + "); pass each package once");
            }
            debs.add(deb);
        }
        if (!problems.isEmpty()) {
            throw new RootfsException(problems);
        }
        return debs;
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
