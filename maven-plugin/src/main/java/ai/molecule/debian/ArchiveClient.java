package ai.molecule.debian;

import ai.molecule.core.BuildLog;
import ai.molecule.core.KeyDigest;
import ai.molecule.core.LayerCache;
import ai.molecule.core.MoleculeException;
import ai.molecule.image.DebianSpec;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.zip.GZIPInputStream;
import org.tukaani.xz.XZInputStream;

/**
 * Talks to Debian archives the way apt does, minus apt: verifies each suite's InRelease against
 * {@link TrustedKeys}, fetches the Packages indexes it vouches for, and downloads .deb files
 * checked against their SHA-256. Everything downloaded lands in the {@link LayerCache} under its
 * own SHA-256, so a second build (or an offline one) needs no network.
 */
public final class ArchiveClient {
    public static final int DEFAULT_PARALLELISM = 4;

    private static final String POINTER_FORMAT = "molecule-debian-inrelease/1 ";
    private static final long MAX_INRELEASE_BYTES = 64L << 20;
    /** How far past the expected size a wrong body is still hashed, to name its SHA-256. */
    private static final long OVERSIZE_HASHED = 64L << 20;

    private static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(2);
    private static final Duration PROGRESS_QUIET_START = Duration.ofSeconds(1);

    private final LayerCache cache;
    private final TrustedKeys keys;
    private final BuildLog log;
    private final boolean offline;
    private final int parallelism;
    private final boolean allowExpired;
    private final ArchiveHttp.Timing timing;
    private final ArchiveHttp http;
    private final Clock clock = Clock.systemUTC();

    public ArchiveClient(LayerCache cache, TrustedKeys keys, BuildLog log, boolean offline) {
        this(cache, keys, log, offline, DEFAULT_PARALLELISM);
    }

    /**
     * @param offline never touch the network; everything must already be in {@code cache}
     * @param parallelism downloads at once
     */
    public ArchiveClient(LayerCache cache, TrustedKeys keys, BuildLog log, boolean offline, int parallelism) {
        this(cache, keys, log, offline, parallelism, false, ArchiveHttp.Timing.DEFAULT);
    }

    ArchiveClient(
            LayerCache cache,
            TrustedKeys keys,
            BuildLog log,
            boolean offline,
            int parallelism,
            boolean allowExpired,
            ArchiveHttp.Timing timing) {
        if (parallelism < 1) {
            throw new IllegalArgumentException("download parallelism must be at least 1, not " + parallelism);
        }
        this.cache = cache;
        this.keys = keys;
        this.log = log;
        this.offline = offline;
        this.parallelism = parallelism;
        this.allowExpired = allowExpired;
        this.timing = timing;
        this.http = offline ? null : new ArchiveHttp(timing, log);
    }

    /**
     * The same client, but accepting an InRelease whose {@code Valid-Until} has passed (with a
     * warning): for building from a frozen snapshot mirror.
     */
    public ArchiveClient allowingExpiredMetadata() {
        return new ArchiveClient(cache, keys, log, offline, parallelism, true, timing);
    }

    /**
     * Every package paragraph of {@code spec}'s suites, components and architecture, suites in
     * precedence order ({@link DebianSpec#suites()}), each paragraph tagged with its suite and
     * archive.
     */
    public List<PackageStanza> index(DebianSpec spec) throws MoleculeException {
        URI archive = archiveBase(spec.archive(), "<archive>");
        URI securityArchive = archiveBase(spec.securityArchive(), "<securityArchive>");
        long started = System.nanoTime();
        List<Callable<SuiteIndex>> tasks = new ArrayList<>();
        for (String suite : spec.suites()) {
            URI base = suite.endsWith("-security") ? securityArchive : archive;
            tasks.add(() -> suiteIndex(spec, suite, base));
        }
        List<SuiteIndex> suites = runAll(tasks, tasks.size(), false);
        List<String> missing =
                suites.stream().flatMap(s -> s.missing().stream()).toList();
        if (!missing.isEmpty()) {
            throw offlineMiss("the Debian indexes", missing);
        }
        List<PackageStanza> stanzas = new ArrayList<>();
        StringBuilder summary = new StringBuilder();
        for (SuiteIndex suite : suites) {
            stanzas.addAll(suite.stanzas());
            summary.append(summary.isEmpty() ? "" : ", ")
                    .append(suite.suite())
                    .append(' ')
                    .append(suite.stanzas().size());
        }
        log.info(String.format(
                Locale.ROOT,
                "Debian index (%s, %s): %s packages in %.1f s",
                String.join(" ", spec.components()),
                spec.architecture(),
                summary,
                (System.nanoTime() - started) / 1e9));
        return stanzas;
    }

    /**
     * The cached .deb files of {@code packages}, in the same order; the ones not yet cached are
     * downloaded ({@code parallelism} at once) and each is stored only after its size and SHA-256
     * matched.
     */
    public List<Path> download(List<LockedPackage> packages) throws MoleculeException {
        Map<String, LockedPackage> unique = new LinkedHashMap<>();
        for (LockedPackage lockedPackage : packages) {
            checkLocked(lockedPackage);
            unique.putIfAbsent(lockedPackage.sha256(), lockedPackage);
        }
        List<Callable<Optional<LayerCache.Blob>>> lookups = new ArrayList<>();
        for (LockedPackage lockedPackage : unique.values()) {
            lookups.add(() -> cache.blob("sha256:" + lockedPackage.sha256()));
        }
        List<Optional<LayerCache.Blob>> cached = runAll(lookups, parallelism, false);
        Map<String, Path> paths = new LinkedHashMap<>();
        List<LockedPackage> absent = new ArrayList<>();
        int i = 0;
        for (LockedPackage lockedPackage : unique.values()) {
            Optional<LayerCache.Blob> blob = cached.get(i++);
            if (blob.isPresent()) {
                paths.put(lockedPackage.sha256(), blob.get().path());
            } else {
                absent.add(lockedPackage);
            }
        }
        if (!absent.isEmpty()) {
            if (offline) {
                throw offlineMiss(
                        "these Debian packages",
                        absent.stream()
                                .map(p -> p.name() + " " + p.version() + " (" + p.path() + ")")
                                .toList());
            }
            long bytes = absent.stream().mapToLong(LockedPackage::size).sum();
            log.info(String.format(
                    Locale.ROOT,
                    "Downloading %d Debian package%s (%.1f MB, %d at once); %d already cached",
                    absent.size(),
                    absent.size() == 1 ? "" : "s",
                    bytes / 1e6,
                    parallelism,
                    unique.size() - absent.size()));
            DownloadProgress progress =
                    new DownloadProgress(log, absent.size(), bytes, PROGRESS_INTERVAL, PROGRESS_QUIET_START);
            AtomicBoolean failed = new AtomicBoolean();
            List<Callable<LayerCache.Blob>> downloads = new ArrayList<>();
            for (LockedPackage lockedPackage : absent) {
                downloads.add(() -> {
                    if (failed.get()) {
                        return null;
                    }
                    try {
                        LayerCache.Blob blob = fetchVerified(url(lockedPackage), expectation(lockedPackage), progress);
                        progress.packageDone();
                        return blob;
                    } catch (Exception e) {
                        failed.set(true);
                        throw e;
                    }
                });
            }
            List<LayerCache.Blob> blobs = runAll(downloads, parallelism, true);
            progress.finish();
            for (int j = 0; j < absent.size(); j++) {
                paths.put(absent.get(j).sha256(), blobs.get(j).path());
            }
        }
        return packages.stream().map(p -> paths.get(p.sha256())).toList();
    }

    /** Not found at this URL: a separate type so the index can try its next location. */
    private static final class NotFoundException extends MoleculeException {
        NotFoundException(String message) {
            super(message);
        }
    }

    private record SuiteIndex(String suite, List<PackageStanza> stanzas, List<String> missing) {}

    /** What a downloaded file must be, and how to talk about it when it is not. */
    private record Expectation(String what, String source, String fix, long size, String sha256) {}

    private SuiteIndex suiteIndex(DebianSpec spec, String suite, URI base) throws MoleculeException, IOException {
        URI url = base.resolve("dists/" + suite + "/InRelease");
        String pointer = pointerKey(url);
        byte[] signed;
        if (offline) {
            Optional<LayerCache.Blob> blob = cache.lookup(pointer);
            if (blob.isEmpty()) {
                return new SuiteIndex(suite, List.of(), List.of("InRelease of " + suite + " (" + url + ")"));
            }
            signed = Files.readAllBytes(blob.get().path());
        } else {
            signed = fetchInRelease(spec, suite, url);
        }
        Instant now = clock.instant();
        InRelease release;
        try {
            release = InRelease.verify(signed, url, suite, keys, now, allowExpired);
        } catch (ArchiveIntegrityException e) {
            if (offline) {
                throw new ArchiveIntegrityException(e.getMessage()
                        + ". (Offline: this is the cached copy; run the build once without -o to refresh it.)");
            }
            throw e;
        }
        release.validUntil()
                .filter(until -> until.isBefore(now))
                .ifPresent(until -> log.warn("Using expired metadata as configured: InRelease of " + suite + " at "
                        + url + " expired at " + until));
        log.debug("InRelease of " + suite + " at " + url + " is signed by " + String.join(", ", release.signedBy()));
        if (!offline) {
            cache.store(pointer, out -> out.write(signed));
        }
        List<PackageStanza> stanzas = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String component : spec.components()) {
            Optional<LayerCache.Blob> index = packagesIndex(spec, suite, base, release, component, missing);
            if (index.isPresent()) {
                stanzas.addAll(parse(index.get().path(), suite, base));
            }
        }
        return new SuiteIndex(suite, stanzas, missing);
    }

    private byte[] fetchInRelease(DebianSpec spec, String suite, URI url) throws MoleculeException {
        try {
            return http.get(url, body -> readAtMost(body, MAX_INRELEASE_BYTES, url));
        } catch (ArchiveHttp.NotFound e) {
            String element = suite.endsWith("-security") ? "<suite> and <securityArchive>" : "<suite> and <archive>";
            throw new ArchiveMismatchException("The archive has no suite " + suite + " (" + url
                    + " is not found); <suite> is '" + spec.suite() + "'. Check " + element
                    + ": <suite> must be a Debian codename with -security and -updates suites, such as bookworm or"
                    + " trixie");
        } catch (IOException e) {
            throw new MoleculeException(
                    "Cannot fetch the InRelease of " + suite + " from " + url + ": " + e.getMessage()
                            + ". Check the network (and proxy) or the archive URL; with everything cached, -o"
                            + " builds offline",
                    e);
        }
    }

    /** The cached Packages.xz (or .gz) of one component, fetched if needed; empty when offline and absent. */
    private Optional<LayerCache.Blob> packagesIndex(
            DebianSpec spec, String suite, URI base, InRelease release, String component, List<String> missing)
            throws MoleculeException, IOException {
        String directory = component + "/binary-" + spec.architecture() + "/";
        List<InRelease.IndexFile> candidates = new ArrayList<>();
        release.file(directory + "Packages.xz").ifPresent(candidates::add);
        release.file(directory + "Packages.gz").ifPresent(candidates::add);
        if (candidates.isEmpty()) {
            throw notInSuite(spec, suite, release, component);
        }
        for (InRelease.IndexFile file : candidates) {
            Optional<LayerCache.Blob> cached = cache.blob("sha256:" + file.sha256());
            if (cached.isPresent()) {
                return cached;
            }
        }
        if (offline) {
            missing.add(candidates.get(0).path() + " of " + suite + " ("
                    + release.url().resolve(candidates.get(0).path()) + ")");
            return Optional.empty();
        }
        URI suiteDir = base.resolve("dists/" + suite + "/");
        for (InRelease.IndexFile file : candidates) {
            Expectation expected = new Expectation(
                    file.path() + " of " + suite,
                    "its InRelease",
                    "The mirror may be mid-update (try again in a few minutes) or serve altered files; use"
                            + " another mirror in <archive>",
                    file.size(),
                    file.sha256());
            List<URI> urls = new ArrayList<>();
            if (release.acquireByHash()) {
                urls.add(suiteDir.resolve(directory + "by-hash/SHA256/" + file.sha256()));
            }
            urls.add(suiteDir.resolve(file.path()));
            for (URI url : urls) {
                Optional<LayerCache.Blob> blob = fetchUnlessNotFound(url, expected);
                if (blob.isPresent()) {
                    log.info(String.format(
                            Locale.ROOT, "Fetched %s of %s (%.1f MB)", file.path(), suite, file.size() / 1e6));
                    return blob;
                }
            }
        }
        throw new MoleculeException("The archive at " + base + " lists " + directory + "Packages.xz/.gz in the"
                + " InRelease of " + suite + " but serves neither. Use another mirror in <archive>");
    }

    private Optional<LayerCache.Blob> fetchUnlessNotFound(URI url, Expectation expected) throws MoleculeException {
        try {
            return Optional.of(fetchVerified(url, expected, null));
        } catch (NotFoundException e) {
            log.debug(url + " is not found; trying the next location");
            return Optional.empty();
        }
    }

    private MoleculeException notInSuite(DebianSpec spec, String suite, InRelease release, String component) {
        if (!release.architectures().isEmpty() && !release.architectures().contains(spec.architecture())) {
            return new ArchiveMismatchException("Suite " + suite + " has no architecture '" + spec.architecture()
                    + "' (<architecture>). Use one of " + String.join(", ", release.architectures()));
        }
        return new ArchiveMismatchException("Suite " + suite + " has no index for component '" + component + "' ("
                + component + "/binary-" + spec.architecture() + "/Packages.xz is not in its InRelease; <components>)."
                + " Use components of " + String.join(", ", release.components()));
    }

    /**
     * Streams {@code url} into the cache while hashing it; the blob is stored only when size and
     * SHA-256 match {@code expected}.
     */
    private LayerCache.Blob fetchVerified(URI url, Expectation expected, DownloadProgress progress)
            throws MoleculeException {
        try {
            LayerCache.Blob blob =
                    http.get(url, body -> cache.storeBlob(out -> copyVerified(body, out, url, expected, progress)));
            if (!blob.hex().equals(expected.sha256())) {
                throw new IllegalStateException("cache stored " + blob.digest() + " for " + expected.what());
            }
            return blob;
        } catch (ArchiveHttp.Refused e) {
            throw new ArchiveIntegrityException(e.getMessage());
        } catch (ArchiveHttp.NotFound e) {
            throw new NotFoundException(expected.what() + " is not on the archive: " + url
                    + " is not found (HTTP 404). The archive dropped this version; resolve the packages again"
                    + " (a newer version replaced it) or use a snapshot mirror such as snapshot.debian.org");
        } catch (IOException e) {
            throw new MoleculeException(
                    "Cannot download " + expected.what() + " from " + url + ": " + e.getMessage()
                            + ". Check the network (and proxy); with everything cached, -o builds offline",
                    e);
        }
    }

    /**
     * Copies at most the expected size into the cache while hashing everything (up to a bound), so
     * a refusal can name the hash actually served.
     */
    private static void copyVerified(
            InputStream body, OutputStream out, URI url, Expectation expected, DownloadProgress progress)
            throws IOException {
        MessageDigest sha = KeyDigest.sha256();
        byte[] buffer = new byte[64 * 1024];
        long count = 0;
        long written = 0;
        try {
            for (int n; (n = body.read(buffer)) > 0; ) {
                sha.update(buffer, 0, n);
                if (count + n <= expected.size()) {
                    out.write(buffer, 0, n);
                    written += n;
                    if (progress != null) {
                        progress.advance(n);
                    }
                }
                count += n;
                if (count > expected.size() + OVERSIZE_HASHED) {
                    throw new ArchiveHttp.Refused(expected.what() + " from " + url + " is more than "
                            + (count - n) + " bytes, but " + expected.source() + " says " + expected.size()
                            + " (SHA-256 " + expected.sha256() + "); nothing was stored. " + expected.fix());
                }
            }
            String actual = HexFormat.of().formatHex(sha.digest());
            if (count != expected.size() || !actual.equals(expected.sha256())) {
                throw new ArchiveHttp.Refused(expected.what() + " from " + url + " does not match "
                        + expected.source() + ": expected SHA-256 " + expected.sha256() + " (" + expected.size()
                        + " bytes), got SHA-256 " + actual + " (" + count + " bytes); nothing was stored. "
                        + expected.fix());
            }
        } catch (IOException | RuntimeException e) {
            if (progress != null) {
                progress.advance(-written);
            }
            throw e;
        }
    }

    private static Expectation expectation(LockedPackage lockedPackage) {
        return new Expectation(
                "package " + lockedPackage.name() + " " + lockedPackage.version(),
                "the lock",
                "The mirror serves other bytes than when the packages were resolved (a broken mirror or"
                        + " tampering); use another mirror, or resolve the packages again if the archive"
                        + " really replaced it",
                lockedPackage.size(),
                lockedPackage.sha256());
    }

    private static List<PackageStanza> parse(Path index, String suite, URI archive) throws IOException {
        try (InputStream file = Files.newInputStream(index);
                InputStream in = decompress(file)) {
            List<PackageStanza> stanzas = new ArrayList<>();
            for (Map<String, String> fields : ControlFile.parse(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                stanzas.add(new PackageStanza(fields, suite, archive));
            }
            return stanzas;
        }
    }

    /** By magic number: the cache names blobs by hash, not by extension. */
    private static InputStream decompress(InputStream file) throws IOException {
        InputStream in = new BufferedInputStream(file, 1 << 16);
        in.mark(2);
        int first = in.read();
        int second = in.read();
        in.reset();
        if (first == 0x1f && second == 0x8b) {
            return new GZIPInputStream(in, 1 << 16);
        }
        return new XZInputStream(in);
    }

    private static byte[] readAtMost(InputStream body, long limit, URI url) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        byte[] buffer = new byte[64 * 1024];
        for (int n; (n = body.read(buffer)) > 0; ) {
            bytes.write(buffer, 0, n);
            if (bytes.size() > limit) {
                throw new ArchiveHttp.Refused(url + " is larger than " + (limit >> 20) + " MB; that is no InRelease");
            }
        }
        return bytes.toByteArray();
    }

    private static String pointerKey(URI inRelease) {
        MessageDigest sha = KeyDigest.sha256();
        sha.update((POINTER_FORMAT + inRelease).getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(sha.digest());
    }

    /** @param origin where the URL was written, for the message */
    private static URI archiveBase(URI archive, String origin) throws ArchiveMismatchException {
        String scheme = archive.getScheme();
        if (!"http".equals(scheme) && !"https".equals(scheme)) {
            throw new ArchiveMismatchException("'" + archive + "' (" + origin
                    + ") is not an http or https URL. Use a Debian mirror URL such as " + DebianSpec.DEFAULT_ARCHIVE);
        }
        // Without the trailing slash, resolving "dists/…" would drop the last path segment.
        return archive.getPath().endsWith("/") ? archive : URI.create(archive + "/");
    }

    private static void checkLocked(LockedPackage p) throws ArchiveMismatchException {
        String sha256 = p.sha256() == null ? "" : p.sha256();
        String path = p.path() == null ? "" : p.path();
        boolean relative = !path.isEmpty()
                && !path.startsWith("/")
                && !path.contains("://")
                && !path.contains("\\")
                && List.of(path.split("/")).stream().noneMatch(s -> s.equals("..") || s.equals("."));
        if (!KeyDigest.isSha256Hex(sha256) || p.size() < 0 || !relative || p.archive() == null) {
            throw new ArchiveMismatchException("Locked package " + p.name() + " " + p.version() + " has archive "
                    + p.archive() + ", path '" + p.path() + "', size " + p.size() + ", SHA-256 '" + p.sha256()
                    + "'; it needs an archive URL, a relative path inside it, a size and a lower-case hex SHA-256."
                    + " Resolve the packages again (mvn molecule:lock) to rewrite molecule.lock");
        }
        archiveBase(p.archive(), "molecule.lock");
    }

    private static URI url(LockedPackage p) throws ArchiveMismatchException {
        return archiveBase(p.archive(), "molecule.lock").resolve(p.path());
    }

    private static MoleculeException offlineMiss(String what, List<String> missing) {
        StringBuilder message = new StringBuilder("Offline (-o), but the cache lacks " + what + ":");
        for (int i = 0; i < missing.size(); i++) {
            message.append("\n  ").append(i + 1).append(". ").append(missing.get(i));
        }
        return new MoleculeException(
                message.append("\nRun the build once without -o to fetch them.").toString());
    }

    /**
     * Runs {@code tasks} on up to {@code threads} threads; results in task order. On failure throws
     * the first one, or with {@code reportAll} every failure numbered in one exception.
     */
    private static <T> List<T> runAll(List<Callable<T>> tasks, int threads, boolean reportAll)
            throws MoleculeException {
        if (tasks.isEmpty()) {
            return List.of();
        }
        ExecutorService executor = Executors.newFixedThreadPool(Math.min(threads, tasks.size()), task -> {
            Thread thread = new Thread(task, "molecule-debian-archive");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (Callable<T> task : tasks) {
                futures.add(executor.submit(task));
            }
            List<T> results = new ArrayList<>();
            List<Throwable> failures = new ArrayList<>();
            for (Future<T> future : futures) {
                try {
                    results.add(future.get());
                } catch (ExecutionException e) {
                    failures.add(e.getCause());
                    results.add(null);
                }
            }
            if (!failures.isEmpty()) {
                throw rethrow(failures, reportAll);
            }
            return results;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MoleculeException("Interrupted while talking to the Debian archive", e);
        } finally {
            executor.shutdownNow();
        }
    }

    private static MoleculeException rethrow(List<Throwable> failures, boolean reportAll) {
        List<MoleculeException> errors = new ArrayList<>();
        for (Throwable failure : failures) {
            if (failure instanceof MoleculeException e) {
                errors.add(e);
            } else if (failure instanceof IOException e) {
                errors.add(new MoleculeException("Cannot use the Debian archive cache: " + e.getMessage(), e));
            } else if (failure instanceof RuntimeException e) {
                throw e;
            } else {
                throw new IllegalStateException(failure);
            }
        }
        if (!reportAll || errors.size() == 1) {
            return errors.get(0);
        }
        StringBuilder message = new StringBuilder(errors.size() + " downloads failed:");
        for (int i = 0; i < errors.size(); i++) {
            message.append("\n  ")
                    .append(i + 1)
                    .append(". ")
                    .append(errors.get(i).getMessage());
        }
        MoleculeException all = new MoleculeException(message.toString(), errors.get(0));
        errors.subList(1, errors.size()).forEach(all::addSuppressed);
        return all;
    }
}
