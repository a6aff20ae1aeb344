package ai.molecule.rootfs;

import ai.molecule.core.BuildLog;
import ai.molecule.image.Account;
import ai.molecule.image.Group;
import ai.molecule.rootfs.PackageUnpacker.Unpacked;
import ai.molecule.rootfs.RootfsTree.Kind;
import ai.molecule.rootfs.RootfsTree.Node;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
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
            for (DebArchive deb : fresh) {
                PermissionFixes.apply(tree, deb, log);
            }
            addAliasLinks(tree, names.contains("base-files"));
            PackageDefaults.apply(tree, names, base.dpkgStatus().isBlank(), log);
            Shells.apply(tree, names);
            AccountDatabase accountDb = accounts(tree, fresh, names);
            specialDirectories(tree, accountDb);
            SortedMap<String, String> chosen = alternatives(tree, fresh);
            PamAuthUpdate.apply(tree, names, log);
            if (names.contains("ca-certificates")) {
                CaCertificates.apply(tree, extraCaCertificates);
            }
            if (aptSources != null && names.contains("apt")) {
                tree.addFile(AptSources.PATH, aptSources.text(tree.exists(AptSources.KEYRING)), 0644);
            }
            DpkgDatabase.write(tree, base, unpacked);
            tree.addMissingParents();
            CountingStream counting = new CountingStream(out);
            int entries = RootfsTarWriter.write(tree, accountDb, mtime, counting);
            List<String> installed =
                    fresh.stream().map(d -> d.name() + "=" + d.version()).toList();
            log.info("Assembled " + installed.size() + " packages into " + entries + " entries ("
                    + counting.count / (1024 * 1024) + " MiB)");
            return new Result(installed, alreadyInBase, entries, counting.count, chosen);
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

    /** The alias directories as symlinks ({@code bin → usr/bin}), with the directories they point at. */
    private static void addAliasLinks(RootfsTree tree, boolean baseFilesInstalled) {
        PathAliases aliases = tree.aliases();
        for (Map.Entry<String, String> alias : PathAliases.MERGED_USR.entrySet()) {
            if (PathAliases.ALWAYS_EMITTED.contains(alias.getKey())
                    || aliases.used().contains(alias.getKey())) {
                tree.put(new Node(
                        alias.getKey(),
                        Kind.SYMLINK,
                        0777,
                        0,
                        0,
                        "",
                        "",
                        null,
                        alias.getValue().substring(1),
                        0,
                        ""));
                if (!tree.exists(alias.getValue())) {
                    tree.addDirectory(alias.getValue(), 0755, 0, 0);
                }
            }
        }
        if (baseFilesInstalled) {
            for (Map.Entry<String, String> alias : PackageDefaults.BASE_FILES_ALIASES.entrySet()) {
                tree.put(new Node(alias.getKey(), Kind.SYMLINK, 0777, 0, 0, "", "", null, alias.getValue(), 0, ""));
            }
        }
    }

    private AccountDatabase accounts(RootfsTree tree, List<DebArchive> fresh, Set<String> names)
            throws IOException, RootfsException {
        Optional<String> masterPasswd = Optional.empty();
        Optional<String> masterGroup = Optional.empty();
        if (names.contains("base-passwd")) {
            masterPasswd = tree.readText("/usr/share/base-passwd/passwd.master");
            masterGroup = tree.readText("/usr/share/base-passwd/group.master");
        }
        List<SystemAccount> detected = new ArrayList<>();
        for (DebArchive deb : fresh) {
            for (String script : List.of("preinst", "postinst")) {
                deb.maintainerScript(script)
                        .ifPresent(text -> detected.addAll(SystemAccount.scan(deb.name(), script, text, log)));
            }
        }
        long days = Math.floorDiv(mtime.getEpochSecond(), 86_400L);
        AccountDatabase db = AccountDatabase.build(
                masterPasswd, masterGroup, base, detected, groups, accounts, days > 0 ? String.valueOf(days) : "", log);
        int shadowGid = db.gid("shadow").orElse(42);
        tree.addFile("/etc/passwd", db.passwdText().getBytes(StandardCharsets.UTF_8), 0644, 0, 0);
        tree.addFile("/etc/group", db.groupText().getBytes(StandardCharsets.UTF_8), 0644, 0, 0);
        tree.addFile("/etc/shadow", db.shadowText().getBytes(StandardCharsets.UTF_8), 0640, 0, shadowGid);
        tree.addFile("/etc/gshadow", db.gshadowText().getBytes(StandardCharsets.UTF_8), 0640, 0, shadowGid);
        return db;
    }

    /**
     * The directories whose modes matter whatever the packages say, and each account's home: a
     * declared account's home is 0755 like useradd's, not adduser's 0700, because apt's {@code _apt}
     * sandbox must read a {@code ./x.deb} from it and the image has only one human account to
     * keep apart.
     */
    private static void specialDirectories(RootfsTree tree, AccountDatabase accounts) {
        tree.addDirectory("/tmp", 01777, 0, 0);
        tree.addDirectory("/var/tmp", 01777, 0, 0);
        tree.addDirectory("/root", 0700, 0, 0);
        tree.addDirectory("/home", 0755, 0, 0);
        for (AccountDatabase.Home home : accounts.homes()) {
            tree.addDirectory(home.path(), home.mode(), home.uid(), home.gid());
            if (home.skel()) {
                String skel = tree.aliases().lookup("/etc/skel");
                for (Node node : tree.under("/etc/skel").values()) {
                    String target = home.path() + node.path().substring(skel.length());
                    if (tree.exists(target)) {
                        continue;
                    }
                    switch (node.kind()) {
                        case DIRECTORY -> tree.addDirectory(target, node.mode(), home.uid(), home.gid());
                        case FILE -> tree.copyFile(node, target, node.mode(), home.uid(), home.gid());
                        case SYMLINK ->
                            tree.put(new Node(
                                    tree.aliases().lookup(target),
                                    Kind.SYMLINK,
                                    0777,
                                    home.uid(),
                                    home.gid(),
                                    "",
                                    "",
                                    null,
                                    node.linkTarget(),
                                    0,
                                    ""));
                    }
                }
            }
        }
    }

    private SortedMap<String, String> alternatives(RootfsTree tree, List<DebArchive> fresh) throws IOException {
        List<AlternativeInstall> installs = new ArrayList<>();
        for (DebArchive deb : fresh) {
            deb.maintainerScript("postinst")
                    .ifPresent(text -> installs.addAll(AlternativeInstall.scan(deb.name(), text, log)));
        }
        Map<String, Alternatives.Group> baseGroups = new HashMap<>();
        base.filesUnder(BaseSystem.ALTERNATIVES_STATE)
                .forEach((name, text) -> baseGroups.put(
                        name,
                        Alternatives.parseState(
                                name,
                                text,
                                Optional.ofNullable(base.links().get(BaseSystem.ALTERNATIVE_LINKS + name)))));
        SortedMap<String, Alternatives.Group> touched = Alternatives.install(baseGroups, installs, tree::exists, log);
        SortedMap<String, String> chosen = new TreeMap<>();
        for (Alternatives.Group group : touched.values()) {
            Alternatives.Choice selected = group.selected();
            chosen.put(group.name(), selected.path());
            link(tree, group.link(), group.name(), selected.path());
            for (Map.Entry<String, String> slave : group.slaveLinks().entrySet()) {
                String path = selected.slavePaths().get(slave.getKey());
                if (path != null && tree.exists(path)) {
                    link(tree, slave.getValue(), slave.getKey(), path);
                }
            }
            tree.addFile(BaseSystem.ALTERNATIVES_STATE + group.name(), group.stateText(), 0644);
        }
        return chosen;
    }

    private void link(RootfsTree tree, String link, String name, String path) {
        Optional<Node> existing = tree.get(link);
        if (existing.isPresent() && existing.get().kind() != Kind.SYMLINK) {
            log.warn("Alternative " + name + ": " + link + " is a real "
                    + existing.get().kind().name().toLowerCase()
                    + " shipped by " + existing.get().owner() + ", so it is not replaced by a link (as"
                    + " update-alternatives does without --force)");
        } else {
            tree.addSymlink(link, BaseSystem.ALTERNATIVE_LINKS + name);
        }
        tree.addSymlink(BaseSystem.ALTERNATIVE_LINKS + name, path);
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
