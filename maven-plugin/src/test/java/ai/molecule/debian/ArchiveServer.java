package ai.molecule.debian;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP server on 127.0.0.1 serving a directory, with the faults a mirror shows: other
 * bytes than the index promises, error statuses, a body that stops half way. Counts every request
 * per path.
 */
final class ArchiveServer implements AutoCloseable {
    private final Path root;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "test-archive-server");
        thread.setDaemon(true);
        return thread;
    });
    private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
    private final Map<String, byte[]> replacements = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();
    private final Map<String, Integer> failureStatus = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> stalls = new ConcurrentHashMap<>();

    ArchiveServer(Path root) throws IOException {
        this.root = root;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/" + path);
    }

    /** Requests seen for {@code path} (relative to the server root, no leading slash). */
    int requests(String path) {
        AtomicInteger count = requests.get("/" + path);
        return count == null ? 0 : count.get();
    }

    int totalRequests() {
        return requests.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    /** Serves {@code body} at {@code path} instead of the file. */
    void replace(String path, byte[] body) {
        replacements.put("/" + path, body);
    }

    /** Answers the next {@code times} requests for {@code path} with {@code status}. */
    void fail(String path, int status, int times) {
        failureStatus.put("/" + path, status);
        failures.put("/" + path, new AtomicInteger(times));
    }

    /** The next {@code times} responses for {@code path} send headers and half the body, then nothing. */
    void stall(String path, int times) {
        stalls.put("/" + path, new AtomicInteger(times));
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        requests.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
        try (exchange) {
            if (!"molecule-maven-plugin".equals(exchange.getRequestHeaders().getFirst("User-Agent"))) {
                exchange.sendResponseHeaders(403, -1);
                return;
            }
            AtomicInteger failing = failures.get(path);
            if (failing != null && failing.getAndDecrement() > 0) {
                exchange.sendResponseHeaders(failureStatus.get(path), -1);
                return;
            }
            byte[] body = replacements.get(path);
            Path file = root.resolve(path.substring(1)).normalize();
            if (body == null && file.startsWith(root) && Files.isRegularFile(file)) {
                body = Files.readAllBytes(file);
            }
            if (body == null) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            exchange.sendResponseHeaders(200, body.length);
            OutputStream out = exchange.getResponseBody();
            AtomicInteger stalling = stalls.get(path);
            if (stalling != null && stalling.getAndDecrement() > 0) {
                out.write(body, 0, body.length / 2);
                out.flush();
                sleepUntilInterrupted();
                return;
            }
            out.write(body);
        }
    }

    private static void sleepUntilInterrupted() {
        try {
            Thread.sleep(60_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
