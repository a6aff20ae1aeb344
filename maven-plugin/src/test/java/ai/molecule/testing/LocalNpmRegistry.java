package ai.molecule.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * An npm registry on 127.0.0.1 serving one package at version 1.0.0 (a tarball with its {@code
 * package.json}), for tests of the npm layer that must not reach registry.npmjs.org. With logins it
 * answers only requests that carry one of them as HTTP Basic and records the paths it refused.
 */
public final class LocalNpmRegistry implements AutoCloseable {
    public static final String VERSION = "1.0.0";
    /** The entry time npm layer tests stamp. */
    public static final Instant MTIME = Instant.parse("2024-01-01T00:00:00Z");

    private final String name;
    private final HttpServer server;
    private final List<String> refusals = new CopyOnWriteArrayList<>();

    private LocalNpmRegistry(String name, List<String> logins) throws IOException {
        this.name = name;
        byte[] tarball = tarball(name);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        byte[] packument = packument(tarball).getBytes(StandardCharsets.UTF_8);
        List<String> accepted = logins.stream().map(LocalNpmRegistry::basic).toList();
        server.createContext("/", exchange -> {
            String login = exchange.getRequestHeaders().getFirst("Authorization");
            if (!accepted.isEmpty() && (login == null || !accepted.contains(login))) {
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

    /** A registry serving {@code name} to anyone. */
    public static LocalNpmRegistry serving(String name) throws IOException {
        return new LocalNpmRegistry(name, List.of());
    }

    /** A registry serving {@code name} only to requests with one of {@code logins} ({@code user:password}). */
    public static LocalNpmRegistry requiringLogin(String name, List<String> logins) throws IOException {
        return new LocalNpmRegistry(name, logins);
    }

    /** The registry URL, with its trailing slash. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    /** {@code name@1.0.0}. */
    public String spec() {
        return name + "@" + VERSION;
    }

    /** The paths answered with 401. */
    public List<String> refusals() {
        return refusals;
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private String packument(byte[] tarball) {
        String integrity = "sha512-" + Base64.getEncoder().encodeToString(digest("SHA-512", tarball));
        String shasum = HexFormat.of().formatHex(digest("SHA-1", tarball));
        return """
                {"name":"%1$s","dist-tags":{"latest":"%5$s"},"versions":{"%5$s":{"name":"%1$s","version":"%5$s",\
                "dist":{"tarball":"%2$s%1$s/-/%1$s-%5$s.tgz","integrity":"%3$s","shasum":"%4$s"}}}}""".formatted(name, url(), integrity, shasum, VERSION);
    }

    private static byte[] tarball(String name) throws IOException {
        byte[] manifest =
                ("{\"name\":\"" + name + "\",\"version\":\"" + VERSION + "\"}\n").getBytes(StandardCharsets.UTF_8);
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

    private static byte[] digest(String algorithm, byte[] bytes) {
        try {
            return MessageDigest.getInstance(algorithm).digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
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
