package ai.molecule.debian;

import ai.molecule.testing.TestCaches;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tukaani.xz.XZInputStream;

/**
 * The real bookworm amd64 main Packages indexes of all three suites, downloaded from deb.debian.org
 * once a week into {@code target/test-downloads/bookworm-indexes} so that repeated runs need no network.
 */
final class BookwormIndexes {
    static final URI DEBIAN = URI.create("http://deb.debian.org/debian/");
    static final URI SECURITY = URI.create("http://deb.debian.org/debian-security/");
    private static final Path CACHE = TestCaches.of("bookworm-indexes");
    // The archive publishes security fixes daily; a week-old copy is still a consistent archive state.
    private static final Duration REFRESH_AFTER = Duration.ofDays(7);

    private BookwormIndexes() {}

    static List<PackageStanza> load() throws IOException, InterruptedException {
        List<PackageStanza> stanzas = new ArrayList<>();
        for (String suite : TestArchive.SUITES) {
            URI archive = suite.endsWith("-security") ? SECURITY : DEBIAN;
            Path index = cached(archive.resolve("dists/" + suite + "/main/binary-amd64/Packages.xz"));
            try (Reader reader = new InputStreamReader(
                    new XZInputStream(new BufferedInputStream(Files.newInputStream(index), 1 << 16)),
                    StandardCharsets.UTF_8)) {
                for (Map<String, String> paragraph : ControlFile.parse(reader)) {
                    stanzas.add(new PackageStanza(paragraph, suite, archive));
                }
            }
        }
        return stanzas;
    }

    private static Path cached(URI uri) throws IOException, InterruptedException {
        Path file = CACHE.resolve(uri.getHost() + uri.getPath().replace('/', '_'));
        if (Files.exists(file)
                && Files.getLastModifiedTime(file)
                        .toInstant()
                        .isAfter(Instant.now().minus(REFRESH_AFTER))) {
            return file;
        }
        Files.createDirectories(CACHE);
        Path partial = Files.createTempFile(CACHE, "download", ".part");
        try {
            HttpResponse<Path> response = HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(20))
                    .followRedirects(HttpClient.Redirect.NORMAL)
                    .build()
                    .send(
                            HttpRequest.newBuilder(uri)
                                    .timeout(Duration.ofMinutes(2))
                                    .build(),
                            HttpResponse.BodyHandlers.ofFile(partial));
            if (response.statusCode() != 200) {
                throw new IOException("HTTP " + response.statusCode() + " for " + uri);
            }
            return Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            Files.deleteIfExists(partial);
            if (Files.exists(file)) {
                return file;
            }
            // A missing index is a failure, not a skip: the real-data checks must run in CI.
            throw new IOException(
                    "cannot download " + uri + " and no cached copy in " + CACHE
                            + "; this test needs deb.debian.org (or a copy of the index in that directory)",
                    e);
        }
    }
}
