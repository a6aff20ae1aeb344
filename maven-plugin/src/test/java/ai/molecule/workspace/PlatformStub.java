package ai.molecule.workspace;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The platform's {@code /admin/github-installation-token} endpoint on 127.0.0.1: answers with
 * {@link #token} while up, 503 while {@link #failing} (or for the next {@link #failNext} calls),
 * and records the headers each call carried.
 */
final class PlatformStub implements AutoCloseable {
    record Call(String authorization, String workspaceId) {}

    private final HttpServer server;
    final List<Call> calls = new CopyOnWriteArrayList<>();
    final AtomicInteger failNext = new AtomicInteger();
    volatile boolean failing;
    volatile String token;

    PlatformStub(String initialToken) throws IOException {
        this.token = initialToken;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/admin/github-installation-token", exchange -> {
            calls.add(new Call(
                    exchange.getRequestHeaders().getFirst("Authorization"),
                    exchange.getRequestHeaders().getFirst("X-Workspace-ID")));
            boolean fail = failing || failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
            byte[] body = (fail
                            ? "{\"error\":\"unavailable\"}"
                            : "{\n  \"token\": \"" + token + "\",\n  \"expires_at\": \"2026-01-01T01:00:00Z\"\n}\n")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(fail ? 503 : 200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    /**
     * A platform issuing {@code token} to a workspace whose auth token {@code workspaceAuth} sits in
     * {@code <dir>/configs/.auth_token}; {@code env} gets {@code PLATFORM_URL} and {@code
     * MOLECULE_CONFIGS_DIR} pointing at both.
     */
    static PlatformStub forWorkspace(Path dir, String token, String workspaceAuth, Map<String, String> env)
            throws IOException {
        Path configs = Files.createDirectories(dir.resolve("configs"));
        Files.writeString(configs.resolve(".auth_token"), workspaceAuth + "\n");
        PlatformStub platform = new PlatformStub(token);
        env.put("PLATFORM_URL", platform.url());
        env.put("MOLECULE_CONFIGS_DIR", configs.toString());
        return platform;
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
