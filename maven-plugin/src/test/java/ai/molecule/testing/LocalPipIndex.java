package ai.molecule.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * A PEP 503 simple index on 127.0.0.1 over a directory of wheels, each link with its {@code
 * #sha256=} fragment computed when the page is asked for: a wheel written into the directory is
 * published, a wheel replaced there is served with its new bytes. For tests of the pip layer that
 * must not reach PyPI.
 */
public final class LocalPipIndex implements AutoCloseable {
    private final Path wheels;
    private final HttpServer server;

    private LocalPipIndex(Path wheels) throws IOException {
        this.wheels = wheels;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/simple/", this::page);
        server.createContext("/files/", exchange -> {
            Path file = wheels.resolve(exchange.getRequestURI().getPath().substring("/files/".length()));
            if (!file.normalize().startsWith(wheels) || !Files.isRegularFile(file)) {
                send(exchange, 404, "text/plain", "not found".getBytes(StandardCharsets.UTF_8));
            } else {
                send(exchange, 200, "application/octet-stream", Files.readAllBytes(file));
            }
        });
        server.start();
    }

    /** An index of the wheels in {@code wheels}. */
    public static LocalPipIndex serving(Path wheels) throws IOException {
        return new LocalPipIndex(wheels.toAbsolutePath().normalize());
    }

    /** The index URL, as {@code --index-url} takes it. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/simple/";
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void page(HttpExchange exchange) throws IOException {
        String project = exchange.getRequestURI()
                .getPath()
                .substring("/simple/".length())
                .replace("/", "");
        StringBuilder html = new StringBuilder("<!DOCTYPE html><html><body>\n");
        for (Path wheel : wheelsOf(project)) {
            String name = wheel.getFileName().toString();
            html.append("<a href=\"/files/")
                    .append(name)
                    .append("#sha256=")
                    .append(sha256(wheel))
                    .append("\">")
                    .append(name)
                    .append("</a>\n");
        }
        send(
                exchange,
                200,
                "text/html",
                html.append("</body></html>\n").toString().getBytes(StandardCharsets.UTF_8));
    }

    /** The wheels whose distribution name normalizes (PEP 503) to {@code project}. */
    private List<Path> wheelsOf(String project) throws IOException {
        try (Stream<Path> files = Files.list(wheels)) {
            return files.filter(file -> file.getFileName().toString().endsWith(".whl"))
                    .filter(file -> normalize(file.getFileName().toString().split("-", 2)[0])
                            .equals(normalize(project)))
                    .sorted()
                    .toList();
        }
    }

    private static String normalize(String name) {
        return name.toLowerCase(Locale.ROOT).replaceAll("[-_.]+", "-");
    }

    private static String sha256(Path file) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
