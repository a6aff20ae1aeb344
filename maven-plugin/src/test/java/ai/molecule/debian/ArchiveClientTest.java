package ai.molecule.debian;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.molecule.core.LayerCache;
import ai.molecule.core.MoleculeException;
import ai.molecule.testing.RecordingLog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArchiveClientTest {
    private static final ArchiveHttp.Timing FAST = new ArchiveHttp.Timing(
            Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofMillis(500), Duration.ofMillis(20), 3);

    @TempDir
    Path dir;

    private final RecordingLog log = new RecordingLog();
    private ArchiveServer server;
    private SignedTestArchive archive;
    private Path keyring;
    private TrustedKeys keys;
    private LockedPackage hello;
    private LockedPackage helloUpdate;
    private LockedPackage helloSecurity;
    private LockedPackage baseFiles;

    @BeforeEach
    void publishArchive() throws Exception {
        server = new ArchiveServer(dir.resolve("www"));
        archive = new SignedTestArchive(dir.resolve("www"), server);
        helloSecurity = archive.addPackage("molecule-security", "hello", "1.0+deb1");
        helloUpdate = archive.addPackage("molecule-updates", "hello", "1.1");
        hello = archive.addPackage("molecule", "hello", "1.0");
        baseFiles = archive.addPackage("molecule", "base-files", "13");
        archive.publish(TestSigner.TRUSTED);
        keyring = TestSigner.TRUSTED.writeArmoredPublicKey(dir.resolve("archive.asc"));
        keys = TrustedKeys.withKeyrings(List.of(keyring));
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Test
    void indexListsEverySuiteInPrecedenceOrderAndDownloadsAreVerifiedDebs() throws Exception {
        ArchiveClient client = client(false);

        List<PackageStanza> index = client.index(archive.spec(keyring));
        List<Path> debs = client.download(List.of(baseFiles, helloSecurity));

        assertThat(index)
                .extracting(s -> s.suite() + " " + s.name() + " " + s.version())
                .containsExactly(
                        "molecule-security hello 1.0+deb1",
                        "molecule-updates hello 1.1",
                        "molecule hello 1.0",
                        "molecule base-files 13");
        assertThat(index.get(0).archive()).isEqualTo(archive.securityArchive());
        assertThat(index.get(2).archive()).isEqualTo(archive.archive());
        assertThat(index.get(0).field("Description")).isEqualTo("test package hello\nmulti-line description");
        assertThat(index.get(0).lock()).isEqualTo(helloSecurity);
        assertThat(debs).hasSize(2);
        assertThat(debs.get(0)).hasBinaryContent(served(baseFiles));
        assertThat(debs.get(1)).hasBinaryContent(served(helloSecurity));
        assertThat(debs.get(1).getFileName()).hasToString(helloSecurity.sha256());
    }

    @Test
    void debWhoseBytesDifferFromTheLockIsRefusedAndNothingIsCached() throws Exception {
        byte[] tampered = served(hello).clone();
        tampered[10] ^= 1;
        server.replace(archive.packagePath(hello), tampered);

        assertThatThrownBy(() -> client(false).download(List.of(hello)))
                .isInstanceOf(ArchiveIntegrityException.class)
                .hasMessageContaining("package hello 1.0")
                .hasMessageContaining(server.uri(archive.packagePath(hello)).toString())
                .hasMessageContaining("expected SHA-256 " + hello.sha256())
                .hasMessageContaining("got SHA-256 " + SignedTestArchive.sha256(tampered))
                .hasMessageContaining("nothing was stored");
        assertThat(cachedBlobs()).isEmpty();
        assertThat(server.requests(archive.packagePath(hello))).isEqualTo(1);
    }

    @Test
    void debLongerThanTheLockSaysIsRefusedNamingBothHashes() throws Exception {
        byte[] longer = (new String(served(hello), StandardCharsets.UTF_8) + "more").getBytes(StandardCharsets.UTF_8);
        server.replace(archive.packagePath(hello), longer);

        assertThatThrownBy(() -> client(false).download(List.of(hello)))
                .isInstanceOf(ArchiveIntegrityException.class)
                .hasMessageContaining("package hello 1.0")
                .hasMessageContaining("expected SHA-256 " + hello.sha256() + " (" + hello.size() + " bytes)")
                .hasMessageContaining(
                        "got SHA-256 " + SignedTestArchive.sha256(longer) + " (" + longer.length + " bytes)");
        assertThat(cachedBlobs()).isEmpty();
    }

    @Test
    void packagesIndexThatDoesNotMatchItsInReleaseIsRefused() throws Exception {
        String path = archive.path("molecule-updates", "main/binary-amd64/Packages.xz");
        byte[] served = Files.readAllBytes(dir.resolve("www").resolve(path));
        byte[] forged = SignedTestArchive.xz("Package: hello\nVersion: 666\n".getBytes(StandardCharsets.UTF_8));
        server.replace(path, forged);

        assertThatThrownBy(() -> client(false).index(archive.spec(keyring)))
                .isInstanceOf(ArchiveIntegrityException.class)
                .hasMessageContaining("main/binary-amd64/Packages.xz of molecule-updates")
                .hasMessageContaining("does not match its InRelease")
                .hasMessageContaining("expected SHA-256 " + SignedTestArchive.sha256(served))
                .hasMessageContaining("got SHA-256 " + SignedTestArchive.sha256(forged));
    }

    @Test
    void inReleaseSignedByAnUntrustedKeyIsRefusedNamingTheSignerAndKeyrings() throws Exception {
        archive.publish("molecule-security", TestSigner.STRANGER, null, true);

        assertThatThrownBy(() -> client(false).index(archive.spec(keyring)))
                .isInstanceOf(ArchiveIntegrityException.class)
                .hasMessageContaining("InRelease of molecule-security")
                .hasMessageContaining(server.uri(archive.path("molecule-security", "InRelease"))
                        .toString())
                .hasMessageContaining(TestSigner.STRANGER.fingerprint() + " (not a trusted key)")
                .hasMessageContaining("<keyrings>");
        byte[] refused =
                Files.readAllBytes(archive.suiteDir("molecule-security").resolve("InRelease"));
        assertThat(cachedBlobs())
                .noneMatch(blob -> blob.getFileName().toString().equals(SignedTestArchive.sha256(refused)));
    }

    @Test
    void inReleaseWhoseSignedTextWasAlteredIsRefused() throws Exception {
        Path inRelease = archive.suiteDir("molecule").resolve("InRelease");
        Path packagesXz = archive.suiteDir("molecule").resolve("main/binary-amd64/Packages.xz");
        String honestHash = SignedTestArchive.sha256(Files.readAllBytes(packagesXz));
        byte[] forged = SignedTestArchive.xz("Package: hello\nVersion: 666\n".getBytes(StandardCharsets.UTF_8));
        Files.write(packagesXz, forged);
        Files.writeString(inRelease, Files.readString(inRelease).replace(honestHash, SignedTestArchive.sha256(forged)));

        assertThatThrownBy(() -> client(false).index(archive.spec(keyring)))
                .isInstanceOf(ArchiveIntegrityException.class)
                .hasMessageContaining("InRelease of molecule ")
                .hasMessageContaining(TestSigner.TRUSTED.fingerprint() + " (signature does not match)");
    }

    @Test
    void inReleaseForAnotherSuiteIsRefused() throws Exception {
        Files.copy(
                archive.suiteDir("molecule").resolve("InRelease"),
                archive.suiteDir("molecule-updates").resolve("InRelease"),
                StandardCopyOption.REPLACE_EXISTING);

        assertThatThrownBy(() -> client(false).index(archive.spec(keyring)))
                .isInstanceOf(ArchiveIntegrityException.class)
                .hasMessageContaining("Codename 'molecule', not molecule-updates");
    }

    @Test
    void expiredInReleaseIsRefusedUnlessExpiredMetadataIsAllowed() throws Exception {
        Instant lastWeek = Instant.now().minus(Duration.ofDays(7));
        archive.publish("molecule-security", TestSigner.TRUSTED, lastWeek, true);

        assertThatThrownBy(() -> client(false).index(archive.spec(keyring)))
                .isInstanceOf(ArchiveIntegrityException.class)
                .hasMessageContaining("InRelease of molecule-security")
                .hasMessageContaining("expired at " + lastWeek.truncatedTo(ChronoUnit.SECONDS));
        assertThat(client(false).allowingExpiredMetadata().index(archive.spec(keyring)))
                .hasSize(4);
        assertThat(log.warnings).anyMatch(w -> w.contains("expired metadata") && w.contains("molecule-security"));
    }

    @Test
    void inReleaseValidUntilTheFutureIsAccepted() throws Exception {
        archive.publish("molecule-security", TestSigner.TRUSTED, Instant.now().plus(Duration.ofDays(7)), true);

        assertThat(client(false).index(archive.spec(keyring))).hasSize(4);
    }

    @Test
    void unknownSuiteNamesTheSuiteElement() {
        assertThatThrownBy(() -> client(false).index(archive.spec("molecul", keyring)))
                .isInstanceOf(ArchiveMismatchException.class)
                .hasMessageContaining("<suite>")
                .hasMessageContaining("no suite molecul-security")
                .hasMessageContaining("'molecul'");
    }

    @Test
    void gzipIndexIsUsedWhenTheSuiteHasNoXz() throws Exception {
        archive.publish("molecule", TestSigner.TRUSTED, null, false);

        assertThat(client(false).index(archive.spec(keyring)))
                .extracting(PackageStanza::name)
                .containsExactly("hello", "hello", "hello", "base-files");
        assertThat(server.requests(archive.path("molecule", "main/binary-amd64/Packages.gz")))
                .isEqualTo(1);
    }

    @Test
    void transientServerErrorsAreRetried() throws Exception {
        server.fail(archive.packagePath(hello), 503, 2);
        server.fail(archive.path("molecule", "InRelease"), 429, 1);
        ArchiveClient client = client(false);

        assertThat(client.index(archive.spec(keyring))).hasSize(4);
        assertThat(client.download(List.of(hello)).get(0)).hasBinaryContent(served(hello));
        assertThat(server.requests(archive.packagePath(hello))).isEqualTo(3);
        assertThat(server.requests(archive.path("molecule", "InRelease"))).isEqualTo(2);
        assertThat(log.warnings).anyMatch(w -> w.contains("HTTP 503") && w.contains("retry 1 of 3"));
    }

    @Test
    void serverErrorsBeyondThreeRetriesFailTheDownload() {
        server.fail(archive.packagePath(hello), 500, 10);

        assertThatThrownBy(() -> client(false).download(List.of(hello)))
                .isInstanceOf(MoleculeException.class)
                .hasMessageContaining("Cannot download package hello 1.0")
                .hasMessageContaining("failed 4 times")
                .hasMessageContaining("HTTP 500");
        assertThat(server.requests(archive.packagePath(hello))).isEqualTo(4);
    }

    @Test
    void missingDebIsNotRetried() throws Exception {
        Files.delete(dir.resolve("www").resolve(archive.packagePath(hello)));

        assertThatThrownBy(() -> client(false).download(List.of(hello)))
                .isInstanceOf(MoleculeException.class)
                .hasMessageContaining("package hello 1.0 is not on the archive")
                .hasMessageContaining("404");
        assertThat(server.requests(archive.packagePath(hello))).isEqualTo(1);
    }

    @Test
    void stalledDownloadIsAbandonedAndRetried() throws Exception {
        server.stall(archive.packagePath(hello), 1);

        List<Path> debs = client(false).download(List.of(hello));

        assertThat(debs.get(0)).hasBinaryContent(served(hello));
        assertThat(server.requests(archive.packagePath(hello))).isEqualTo(2);
        assertThat(log.warnings).anyMatch(w -> w.contains("no data arrived"));
    }

    @Test
    void cachedDebsAreNotDownloadedAgain() throws Exception {
        client(false).download(List.of(hello, baseFiles));

        List<Path> again = client(false).download(List.of(baseFiles, hello, helloUpdate));

        assertThat(again.get(0)).hasBinaryContent(served(baseFiles));
        assertThat(again.get(1)).hasBinaryContent(served(hello));
        assertThat(server.requests(archive.packagePath(hello))).isEqualTo(1);
        assertThat(server.requests(archive.packagePath(baseFiles))).isEqualTo(1);
        assertThat(server.requests(archive.packagePath(helloUpdate))).isEqualTo(1);
        assertThat(log.infos)
                .anyMatch(i -> i.startsWith("Downloading 1 Debian package (") && i.endsWith("2 already cached"));
    }

    @Test
    void offlineBuildUsesWhatAnOnlineBuildCached() throws Exception {
        List<PackageStanza> online = client(false).index(archive.spec(keyring));
        client(false).download(List.of(hello, helloSecurity));
        int requestsOnline = server.totalRequests();
        server.close();

        ArchiveClient offline = client(true);
        List<PackageStanza> index = offline.index(archive.spec(keyring));
        List<Path> debs = offline.download(List.of(hello, helloSecurity));

        assertThat(index).isEqualTo(online);
        assertThat(debs.get(0)).hasBinaryContent(served(hello));
        assertThat(debs.get(1)).hasBinaryContent(served(helloSecurity));
        assertThat(server.totalRequests()).isEqualTo(requestsOnline);
    }

    @Test
    void offlineBuildListsEveryPackageMissingFromTheCache() throws Exception {
        client(false).download(List.of(hello));

        assertThatThrownBy(() -> client(true).download(List.of(hello, baseFiles, helloUpdate)))
                .isInstanceOf(MoleculeException.class)
                .hasMessageContaining("Offline (-o)")
                .hasMessageContaining("1. base-files 13 (" + baseFiles.path() + ")")
                .hasMessageContaining("2. hello 1.1 (" + helloUpdate.path() + ")")
                .hasMessageNotContaining("hello 1.0 ")
                .hasMessageContaining("once without -o");
    }

    @Test
    void offlineIndexWithoutAnyOnlineRunListsEachSuite() {
        int before = server.totalRequests();

        assertThatThrownBy(() -> client(true).index(archive.spec(keyring)))
                .isInstanceOf(MoleculeException.class)
                .hasMessageContaining("1. InRelease of molecule-security")
                .hasMessageContaining("2. InRelease of molecule-updates")
                .hasMessageContaining("3. InRelease of molecule (")
                .hasMessageContaining("once without -o");
        assertThat(server.totalRequests()).isEqualTo(before);
    }

    @Test
    void offlineIndexListsIndexFilesMissingFromTheCache() throws Exception {
        client(false).index(archive.spec(keyring));
        Path packagesXz = archive.suiteDir("molecule-updates").resolve("main/binary-amd64/Packages.xz");
        Files.delete(
                dir.resolve("cache/blobs/sha256").resolve(SignedTestArchive.sha256(Files.readAllBytes(packagesXz))));

        assertThatThrownBy(() -> client(true).index(archive.spec(keyring)))
                .isInstanceOf(MoleculeException.class)
                .hasMessageContaining("1. main/binary-amd64/Packages.xz of molecule-updates ("
                        + server.uri(archive.path("molecule-updates", "main/binary-amd64/Packages.xz")) + ")")
                .hasMessageNotContaining("2. ");
    }

    @Test
    void quickDownloadLogsOnlyWhatItWillFetchAndASummary() throws Exception {
        client(false).download(List.of(hello, baseFiles, helloUpdate));

        assertThat(log.infos).hasSize(2);
        assertThat(log.infos.get(0)).startsWith("Downloading 3 Debian packages (0.0 MB, 2 at once); 0 already cached");
        assertThat(log.infos.get(1)).startsWith("Downloaded 3 packages (0.0 MB) in ");
    }

    @Test
    void lockedPackageWithAPathOutsideTheArchiveIsRejected() {
        LockedPackage escaping = new LockedPackage(
                "hello", "1.0", "amd64", archive.archive(), "../secret", hello.size(), hello.sha256());

        assertThatThrownBy(() -> client(false).download(List.of(escaping)))
                .isInstanceOf(ArchiveMismatchException.class)
                .hasMessageContaining("'../secret'")
                .hasMessageContaining("mvn molecule:lock");
    }

    private ArchiveClient client(boolean offline) throws IOException {
        LayerCache cache = new LayerCache(dir.resolve("cache"), log);
        return new ArchiveClient(cache, keys, log, offline, 2, false, FAST);
    }

    private byte[] served(LockedPackage lockedPackage) throws IOException {
        return Files.readAllBytes(dir.resolve("www").resolve(archive.packagePath(lockedPackage)));
    }

    private List<Path> cachedBlobs() throws IOException {
        Path blobs = dir.resolve("cache/blobs/sha256");
        Path tmp = dir.resolve("cache/tmp");
        try (Stream<Path> blobFiles = Files.list(blobs);
                Stream<Path> tmpFiles = Files.list(tmp)) {
            return Stream.concat(blobFiles, tmpFiles).toList();
        }
    }
}
