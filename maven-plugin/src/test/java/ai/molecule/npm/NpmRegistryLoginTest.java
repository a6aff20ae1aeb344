package ai.molecule.npm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.molecule.core.LayerCache;
import ai.molecule.core.MoleculeException;
import ai.molecule.image.NpmLayer;
import ai.molecule.testing.RecordingLog;
import ai.molecule.testing.TarEntries;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The layer's registry login, against a registry on 127.0.0.1 that answers only with it. */
class NpmRegistryLoginTest {
    private static final String PACKAGE = "molecule-login-test";
    private static final String PASSWORD = "npm-test-s3cret";

    @TempDir
    Path temp;

    private final RecordingLog log = new RecordingLog();
    private final List<String> refusals = new CopyOnWriteArrayList<>();
    private HttpServer server;
    private String registry;

    @BeforeEach
    void registryThatWantsALogin() throws Exception {
        byte[] tarball = tarball();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        registry = "http://127.0.0.1:" + server.getAddress().getPort() + "/";
        byte[] packument = packument(tarball).getBytes(StandardCharsets.UTF_8);
        List<String> logins = List.of(basic("ci:" + PASSWORD), basic("other:rotated-" + PASSWORD));
        server.createContext("/", exchange -> {
            String login = exchange.getRequestHeaders().getFirst("Authorization");
            if (login == null || !logins.contains(login)) {
                refusals.add(exchange.getRequestURI().getPath());
                send(exchange, 401, "{\"error\":\"login required\"}".getBytes(StandardCharsets.UTF_8));
            } else if (exchange.getRequestURI().getPath().endsWith(".tgz")) {
                send(exchange, 200, tarball);
            } else {
                send(exchange, 200, packument);
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void loginReachesTheRegistryButNeitherTheLayerNorTheLog() throws Exception {
        NpmLayer layer = NpmLayer.of(PACKAGE + "@1.0.0")
                .withRegistry(registry)
                .withCredential(new NpmLayer.Credential("ci", PASSWORD));

        NpmInstaller.Result result = installer().install(layer, NpmInstallerTest.MTIME);

        assertThat(TarEntries.texts(result.blob().path()))
                .containsKey("usr/local/lib/node_modules/" + PACKAGE + "/package.json")
                .allSatisfy((name, text) -> assertThat(text).doesNotContain(PASSWORD));
        assertThat(Files.readString(result.blob().path(), StandardCharsets.ISO_8859_1))
                .doesNotContain(PASSWORD)
                .doesNotContain(
                        Base64.getEncoder().encodeToString(("ci:" + PASSWORD).getBytes(StandardCharsets.UTF_8)));
        assertThat(log.infos).noneMatch(line -> line.contains(PASSWORD));
        NpmLayer rotated = layer.withCredential(new NpmLayer.Credential("other", "rotated-" + PASSWORD));
        assertThat(installer().install(rotated, NpmInstallerTest.MTIME).key()).isEqualTo(result.key());
    }

    @Test
    void withoutTheLoginTheRegistryRefusesAndNothingIsStored() throws Exception {
        NpmLayer layer = NpmLayer.of(PACKAGE + "@1.0.0").withRegistry(registry);

        assertThatThrownBy(() -> installer().install(layer, NpmInstallerTest.MTIME))
                .isInstanceOf(MoleculeException.class)
                .hasMessageContaining(PACKAGE + "@1.0.0")
                .hasMessageContaining(registry);
        assertThat(refusals).isNotEmpty();
        assertThat(temp.resolve("cache/keys")).isEmptyDirectory();
    }

    private NpmInstaller installer() throws IOException {
        return new NpmInstaller(new LayerCache(temp.resolve("cache"), log), temp.resolve("npm-work"), log);
    }

    private String packument(byte[] tarball) throws Exception {
        String integrity = "sha512-"
                + Base64.getEncoder()
                        .encodeToString(MessageDigest.getInstance("SHA-512").digest(tarball));
        String shasum =
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(tarball));
        return """
                {"name":"%1$s","dist-tags":{"latest":"1.0.0"},"versions":{"1.0.0":{"name":"%1$s","version":"1.0.0",\
                "dist":{"tarball":"%2$s%1$s/-/%1$s-1.0.0.tgz","integrity":"%3$s","shasum":"%4$s"}}}}""".formatted(PACKAGE, registry, integrity, shasum);
    }

    private static byte[] tarball() throws IOException {
        byte[] manifest = ("{\"name\":\"" + PACKAGE + "\",\"version\":\"1.0.0\"}\n").getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(bytes))) {
            TarArchiveEntry entry = new TarArchiveEntry("package/package.json");
            entry.setSize(manifest.length);
            tar.putArchiveEntry(entry);
            tar.write(manifest);
            tar.closeArchiveEntry();
        }
        return bytes.toByteArray();
    }

    private static String basic(String login) {
        return "Basic " + Base64.getEncoder().encodeToString(login.getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
