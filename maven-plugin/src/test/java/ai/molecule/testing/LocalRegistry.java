package ai.molecule.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * A real registry for the tests: {@code /usr/bin/docker-registry} (distribution 2.8, Debian's
 * package) on 127.0.0.1 and a free port, filesystem storage in a temporary directory, deletes
 * enabled, and htpasswd authentication for one user with a random password.
 *
 * <p>The htpasswd file holds a bcrypt hash made with BouncyCastle's {@code OpenBSDBCrypt} in the
 * {@code $2y$} form that Apache's htpasswd writes; distribution checks it with Go's bcrypt, which
 * accepts any {@code $2?$} minor version. Distribution 2.8 does not insist on TLS for htpasswd (its
 * docs recommend TLS, the server does not enforce it), so the registry speaks plain HTTP and the
 * builds talk to it with {@code allowInsecure=true}.
 */
public final class LocalRegistry implements AutoCloseable {
    public static final String USER = "molecule-it";
    public static final String ACCEPT = "application/vnd.docker.distribution.manifest.v2+json,"
            + " application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json";
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Path dir;
    private final String password;
    private final int port;
    private final Process process;

    private LocalRegistry(Path dir, String password, int port, Process process) {
        this.dir = dir;
        this.password = password;
        this.port = port;
        this.process = process;
    }

    /** Starts a registry keeping its storage, config and log in {@code dir}; returns once it enforces htpasswd. */
    public static LocalRegistry start(Path dir) throws Exception {
        String password = "pw-" + HexFormat.of().formatHex(random(12));
        String hash = OpenBSDBCrypt.generate("2y", password.toCharArray(), random(16), 10);
        assertThat(hash).startsWith("$2y$10$");
        Path htpasswd = dir.resolve("htpasswd");
        Files.writeString(htpasswd, USER + ":" + hash + "\n", StandardCharsets.UTF_8);
        int port = freePort();
        Path config = dir.resolve("config.yml");
        Files.writeString(
                config,
                """
                version: 0.1
                log:
                  level: info
                storage:
                  filesystem:
                    rootdirectory: %s
                  delete:
                    enabled: true
                http:
                  addr: 127.0.0.1:%d
                  secret: %s
                auth:
                  htpasswd:
                    realm: molecule-it
                    path: %s
                """.formatted(dir.resolve("storage"), port, HexFormat.of().formatHex(random(16)), htpasswd),
                StandardCharsets.UTF_8);
        Process process = new ProcessBuilder("/usr/bin/docker-registry", "serve", config.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("registry.log").toFile())
                .start();
        LocalRegistry registry = new LocalRegistry(dir, password, port, process);
        registry.awaitUnauthorized();
        return registry;
    }

    /** A loopback port nothing listens on (taken and released). */
    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    public String host() {
        return "127.0.0.1:" + port;
    }

    public String password() {
        return password;
    }

    /** Where the registry keeps the blob {@code sha256:<hex>} on disk (distribution's filesystem layout). */
    public Path blobFile(String digest) {
        String hex = digest.substring("sha256:".length());
        return dir.resolve("storage/docker/registry/v2/blobs/sha256")
                .resolve(hex.substring(0, 2))
                .resolve(hex)
                .resolve("data");
    }

    /** GET {@code /v2/<path>} as the user, accepting manifests and indexes. */
    public HttpResponse<byte[]> get(String path) throws IOException, InterruptedException {
        return get(path, USER, password);
    }

    /** GET {@code /v2/<path>}; {@code user} {@code null} for anonymous. */
    public HttpResponse<byte[]> get(String path, String user, String secret) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + host() + "/v2/" + path))
                .header("Accept", ACCEPT)
                .timeout(Duration.ofSeconds(30))
                .GET();
        if (user != null) {
            request.header("Authorization", basic(user, secret));
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** PUT {@code /v2/<path>} as the user. */
    public HttpResponse<byte[]> put(String path, String contentType, byte[] body)
            throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + host() + "/v2/" + path))
                .header("Content-Type", contentType)
                .header("Authorization", basic(USER, password))
                .timeout(Duration.ofSeconds(30))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofByteArray());
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
        }
    }

    private static String basic(String user, String secret) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] random(int bytes) {
        byte[] random = new byte[bytes];
        new SecureRandom().nextBytes(random);
        return random;
    }

    /** Waits until {@code /v2/} answers 401: the registry is up and enforcing htpasswd. */
    private void awaitUnauthorized() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                fail("docker-registry exited with %d before answering: %s", process.exitValue(), log());
            }
            try {
                HttpResponse<byte[]> response = get("", null, null);
                if (response.statusCode() == 401) {
                    assertThat(response.headers().firstValue("WWW-Authenticate"))
                            .hasValue("Basic realm=\"molecule-it\"");
                    return;
                }
                last = "HTTP " + response.statusCode();
            } catch (ConnectException e) {
                last = e.toString();
            }
            Thread.sleep(100);
        }
        fail("docker-registry did not answer /v2/ with 401 within 30 s (last: %s): %s", last, log());
    }

    private String log() {
        try {
            return Files.readString(dir.resolve("registry.log"));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
