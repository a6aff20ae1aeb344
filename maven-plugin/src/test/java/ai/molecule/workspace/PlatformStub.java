package ai.molecule.workspace;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The platform's {@code /admin/github-installation-token} endpoint on 127.0.0.1: answers with
 * {@link #token} while up, 503 while {@link #failing} (or for the next {@link #failNext} calls),
 * and records the headers each call carried. {@link #forWorkspace} also sets up the workspace side
 * the token scripts read.
 */
final class PlatformStub implements AutoCloseable {
    record Call(String authorization, String workspaceId) {}

    private final HttpServer server;
    private final AtomicBoolean closed = new AtomicBoolean();
    final List<Call> calls = new CopyOnWriteArrayList<>();
    final AtomicInteger failNext = new AtomicInteger();
    volatile boolean failing;
    volatile String token;

    private PlatformStub(String initialToken) throws IOException {
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
     * A stub serving {@code token} to the workspace of {@code scripts}, closed after the test: {@code
     * workspaceAuth} in {@code configs/.auth_token}, and in the scripts' environment {@code
     * PLATFORM_URL}, {@code MOLECULE_CONFIGS_DIR} and {@code MOLECULE_TOKEN_CACHE_DIR} = {@code
     * tokenCache}.
     */
    static PlatformStub forWorkspace(Scripts scripts, String token, String workspaceAuth, Path tokenCache)
            throws IOException {
        PlatformStub platform = scripts.closeAfterEach(new PlatformStub(token));
        Path configs = scripts.dir.resolve("configs");
        Scripts.write(configs.resolve(".auth_token"), workspaceAuth + "\n");
        scripts.env.put("PLATFORM_URL", platform.url());
        scripts.env.put("MOLECULE_CONFIGS_DIR", configs.toString());
        scripts.env.put("MOLECULE_TOKEN_CACHE_DIR", tokenCache.toString());
        return platform;
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            server.stop(0);
        }
    }
}
