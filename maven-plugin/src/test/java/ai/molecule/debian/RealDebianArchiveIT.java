package ai.molecule.debian;

import static org.assertj.core.api.Assertions.assertThat;

import ai.molecule.core.LayerCache;
import ai.molecule.image.DebianSpec;
import ai.molecule.testing.RecordingLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one test against deb.debian.org: Debian's own signatures, index sizes and by-hash layout. */
class RealDebianArchiveIT {
    @TempDir
    Path dir;

    @Test
    void bookwormMainVerifiesWithTheBuiltInKeysAndASmallPackageDownloads() throws Exception {
        RecordingLog log = new RecordingLog();
        ArchiveClient client = new ArchiveClient(new LayerCache(dir, log), TrustedKeys.debian(), log, false);
        DebianSpec spec = new DebianSpec(
                DebianSpec.DEFAULT_ARCHIVE,
                DebianSpec.DEFAULT_SECURITY_ARCHIVE,
                "bookworm",
                List.of("main"),
                "amd64",
                List.of("hostname"),
                List.of(),
                false,
                List.of());

        long started = System.nanoTime();
        List<PackageStanza> index = client.index(spec);
        long indexMillis = (System.nanoTime() - started) / 1_000_000;
        PackageStanza hostname = index.stream()
                .filter(s -> s.name().equals("hostname"))
                .findFirst()
                .orElseThrow();
        List<Path> debs = client.download(List.of(hostname.lock()));

        System.out.println("bookworm main amd64: " + index.size() + " stanzas, index fetch+verify+parse " + indexMillis
                + " ms; " + log.infos);
        assertThat(index).hasSizeGreaterThan(60_000);
        assertThat(index).extracting(PackageStanza::suite).contains("bookworm-security", "bookworm-updates");
        assertThat(Files.size(debs.get(0))).isEqualTo(hostname.lock().size());
        assertThat(debs.get(0).getFileName()).hasToString(hostname.lock().sha256());
    }
}
