package ai.molecule.debian;

import ai.molecule.core.BuildLog;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Flow;

/**
 * GETs from a Debian archive: redirects followed, timeouts on connect, on the response and on a
 * body that stops arriving; transient failures (I/O errors, 5xx, 429) retried with exponential
 * backoff; 404 and a refused body are final.
 */
final class ArchiveHttp {
    static final String USER_AGENT = "molecule-maven-plugin";

    /**
     * @param connect TCP/TLS connect
     * @param response until the status line and headers arrive
     * @param stall longest time a body may deliver no bytes
     * @param firstRetry wait before the first retry; doubled for each further one
     * @param retries retries after the first attempt
     */
    record Timing(Duration connect, Duration response, Duration stall, Duration firstRetry, int retries) {
        static final Timing DEFAULT = new Timing(
                Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofSeconds(60), Duration.ofSeconds(1), 3);
    }

    /** Reads a 200 response body. */
    @FunctionalInterface
    interface BodyReader<T> {
        T read(InputStream body) throws IOException;
    }

    /** 404 or 410: the file is not there, and asking again will not change that. */
    static final class NotFound extends IOException {
        NotFound(URI url, int status) {
            super(url + " answered HTTP " + status);
        }
    }

    /** The body is not what was promised (size or hash); its message is meant for the user. */
    static final class Refused extends IOException {
        Refused(String message) {
            super(message);
        }
    }

    private static final class FinalStatus extends IOException {
        FinalStatus(URI url, int status) {
            super(url + " answered HTTP " + status);
        }
    }

    private static final class TransientStatus extends IOException {
        private final Duration retryAfter;

        TransientStatus(URI url, int status, Duration retryAfter) {
            super(url + " answered HTTP " + status);
            this.retryAfter = retryAfter;
        }
    }

    private final HttpClient client;
    private final Timing timing;
    private final BuildLog log;

    ArchiveHttp(Timing timing, BuildLog log) {
        this.client = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(timing.connect())
                .build();
        this.timing = timing;
        this.log = log;
    }

    /** GETs {@code url} and hands a 200 body to {@code reader}, retrying transient failures. */
    <T> T get(URI url, BodyReader<T> reader) throws IOException {
        for (int attempt = 0; ; attempt++) {
            try {
                return attempt(url, reader);
            } catch (NotFound | Refused | FinalStatus | InterruptedIOException e) {
                throw e;
            } catch (IOException e) {
                if (attempt >= timing.retries() || Thread.currentThread().isInterrupted()) {
                    throw new IOException(
                            "GET " + url + " failed " + (attempt + 1) + " times; last: " + describe(e), e);
                }
                Duration wait = timing.firstRetry().multipliedBy(1L << attempt);
                if (e instanceof TransientStatus status && status.retryAfter.compareTo(wait) > 0) {
                    wait = status.retryAfter;
                }
                log.warn("GET " + url + " failed (" + describe(e) + "); retry " + (attempt + 1) + " of "
                        + timing.retries() + " in " + wait.toMillis() + " ms");
                sleep(wait);
            }
        }
    }

    private <T> T attempt(URI url, BodyReader<T> reader) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(url)
                .timeout(timing.response())
                .header("User-Agent", USER_AGENT)
                // Plain http stays HTTP/1.1: an h2c upgrade offer confuses some mirrors and proxies.
                .version("https".equals(url.getScheme()) ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1)
                .GET()
                .build();
        HttpResponse<Flow.Publisher<List<ByteBuffer>>> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofPublisher());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while fetching " + url);
        }
        try (StallTimeoutBody body = new StallTimeoutBody(timing.stall())) {
            response.body().subscribe(body);
            int status = response.statusCode();
            if (status == 404 || status == 410) {
                throw new NotFound(url, status);
            }
            if (status == 429 || status >= 500) {
                throw new TransientStatus(url, status, retryAfter(response));
            }
            if (status != 200) {
                throw new FinalStatus(url, status);
            }
            return reader.read(body);
        }
    }

    private static Duration retryAfter(HttpResponse<?> response) {
        String value = response.headers().firstValue("Retry-After").orElse("").strip();
        // Honour a short Retry-After in seconds; a long one (or a date) means "not now", and backoff decides.
        if (value.matches("[0-9]{1,2}")) {
            return Duration.ofSeconds(Math.min(30, Long.parseLong(value)));
        }
        return Duration.ZERO;
    }

    private static String describe(IOException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static void sleep(Duration wait) throws InterruptedIOException {
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting to retry");
        }
    }
}
