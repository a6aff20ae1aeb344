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
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * An npm registry on 127.0.0.1 serving one package, at version 1.0.0 first (a tarball with its
 * {@code package.json}), for tests of the npm layer that must not reach registry.npmjs.org. Tests
 * can {@link #publish} a newer {@code latest} and {@link #tamper} with a published tarball. With
 * logins it answers only requests that carry one of them as HTTP Basic and records the paths it
 * refused.
 */
public final class LocalNpmRegistry implements AutoCloseable {
    public static final String VERSION = "1.0.0";
    /** The entry time npm layer tests stamp. */
    public static final Instant MTIME = Instant.parse("2024-01-01T00:00:00Z");

    private final String name;
    private final HttpServer server;
    private final List<String> refusals = new CopyOnWriteArrayList<>();
    /** version → the tarball the packument describes; {@link #served} may differ after {@link #tamper}. */
    private final Map<String, byte[]> published = new ConcurrentSkipListMap<>();

    private final Map<String, byte[]> served = new ConcurrentHashMap<>();
    private volatile String latest;

    private LocalNpmRegistry(String name, List<String> logins) throws IOException {
        this.name = name;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        publish(VERSION);
        List<String> accepted = logins.stream().map(LocalNpmRegistry::basic).toList();
        server.createContext("/", exchange -> {
            String login = exchange.getRequestHeaders().getFirst("Authorization");
            String path = exchange.getRequestURI().getPath();
            if (!accepted.isEmpty() && (login == null || !accepted.contains(login))) {
                refusals.add(path);
                send(exchange, 401, "{\"error\":\"login required\"}".getBytes(StandardCharsets.UTF_8));
            } else if (path.endsWith(".tgz")) {
                String version = path.substring(path.lastIndexOf('-') + 1, path.length() - ".tgz".length());
                byte[] tarball = served.get(version);
                if (tarball == null) {
                    send(exchange, 404, "{\"error\":\"not found\"}".getBytes(StandardCharsets.UTF_8));
                } else {
                    send(exchange, 200, tarball);
                }
            } else {
                send(exchange, 200, packument().getBytes(StandardCharsets.UTF_8));
            }
        });
        server.start();
    }

    /** Publishes {@code version} and makes it {@code latest}. */
    public void publish(String version) throws IOException {
        byte[] tarball = tarball(name, version);
        published.put(version, tarball);
        served.put(version, tarball);
        latest = version;
    }

    /** From now on serves other bytes for {@code version}'s tarball, while its packument keeps the old integrity. */
    public void tamper(String version) throws IOException {
        served.put(version, tarball(name, version + "-tampered"));
    }

    /** Stops serving {@code version}'s tarball (404), as when a version is unpublished. */
    public void withdraw(String version) {
        served.remove(version);
    }

    /** The Subresource Integrity of {@code version} as published. */
    public String integrity(String version) {
        return "sha512-" + Base64.getEncoder().encodeToString(digest("SHA-512", published.get(version)));
    }

    /** The integrity of what the registry serves now for {@code version}. */
    public String servedIntegrity(String version) {
        return "sha512-" + Base64.getEncoder().encodeToString(digest("SHA-512", served.get(version)));
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

    private String packument() {
        StringBuilder versions = new StringBuilder();
        for (Map.Entry<String, byte[]> version : published.entrySet()) {
            String shasum = HexFormat.of().formatHex(digest("SHA-1", version.getValue()));
            versions.append(versions.length() == 0 ? "" : ",")
                    .append("""
                            "%2$s":{"name":"%1$s","version":"%2$s","dist":{"tarball":"%3$s%1$s/-/%1$s-%2$s.tgz",\
                            "integrity":"%4$s","shasum":"%5$s"}}""".formatted(name, version.getKey(), url(), integrity(version.getKey()), shasum));
        }
        return "{\"name\":\"" + name + "\",\"dist-tags\":{\"latest\":\"" + latest + "\"},\"versions\":{" + versions
                + "}}";
    }

    private static byte[] tarball(String name, String version) throws IOException {
        byte[] manifest = ("{\"name\":\"" + name + "\",\"version\":\"" + version.replace("-tampered", "") + "\"}\n")
                .getBytes(StandardCharsets.UTF_8);
        byte[] content = ("module.exports = \"" + version + "\";\n").getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(bytes))) {
            for (Map.Entry<String, byte[]> file :
                    Map.of("package/package.json", manifest, "package/index.js", content).entrySet().stream()
                            .sorted(Map.Entry.comparingByKey())
                            .toList()) {
                TarArchiveEntry entry = new TarArchiveEntry(file.getKey());
                entry.setSize(file.getValue().length);
                tar.putArchiveEntry(entry);
                tar.write(file.getValue());
                tar.closeArchiveEntry();
            }
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
