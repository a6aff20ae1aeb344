package ai.molecule.debian;

import ai.molecule.core.BuildLog;
import java.time.Duration;
import java.util.Locale;

/**
 * Progress of a batch of downloads, logged at info level when another tenth of the bytes is done
 * or {@code interval} has passed since the last line, whichever comes first; silent during {@code
 * quietStart}, so a batch that finishes quickly logs only its summary.
 */
final class DownloadProgress {
    private final BuildLog log;
    private final int packages;
    private final long bytes;
    private final long intervalNanos;
    private final long quietNanos;
    private final long started = System.nanoTime();
    private long lastLine = started;
    private int lastTenth;
    private int packagesDone;
    private long bytesDone;

    DownloadProgress(BuildLog log, int packages, long bytes, Duration interval, Duration quietStart) {
        this.log = log;
        this.packages = packages;
        this.bytes = bytes;
        this.intervalNanos = interval.toNanos();
        this.quietNanos = quietStart.toNanos();
    }

    /** Bytes received (negative when a failed attempt's bytes are discarded before a retry). */
    synchronized void advance(long delta) {
        bytesDone += delta;
        maybeLog();
    }

    synchronized void packageDone() {
        packagesDone++;
        maybeLog();
    }

    synchronized void finish() {
        log.info(String.format(
                Locale.ROOT,
                "Downloaded %d package%s (%s MB) in %.1f s",
                packagesDone,
                packagesDone == 1 ? "" : "s",
                mb(bytesDone),
                (System.nanoTime() - started) / 1e9));
    }

    private void maybeLog() {
        long now = System.nanoTime();
        int tenth = bytes > 0 ? (int) Math.min(10, bytesDone * 10 / bytes) : 0;
        if (now - started < quietNanos) {
            lastTenth = Math.max(lastTenth, tenth);
        } else if (tenth > lastTenth || now - lastLine >= intervalNanos) {
            lastTenth = Math.max(lastTenth, tenth);
            lastLine = now;
            log.info("Downloaded " + packagesDone + "/" + packages + " packages, " + mb(bytesDone) + "/" + mb(bytes)
                    + " MB");
        }
    }

    private static String mb(long count) {
        return String.format(Locale.ROOT, "%.1f", count / 1e6);
    }
}
