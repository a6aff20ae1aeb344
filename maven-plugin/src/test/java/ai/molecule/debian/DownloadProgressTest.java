package ai.molecule.debian;

import static org.assertj.core.api.Assertions.assertThat;

import ai.molecule.testing.RecordingLog;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DownloadProgressTest {
    private final RecordingLog log = new RecordingLog();

    @Test
    void logsEachTenthOfTheBytesThenASummary() {
        DownloadProgress progress = new DownloadProgress(log, 2, 20_000_000, Duration.ofHours(1), Duration.ZERO);

        for (int i = 0; i < 40; i++) {
            progress.advance(500_000);
        }
        progress.packageDone();
        progress.packageDone();
        progress.finish();

        assertThat(log.infos).hasSize(11);
        assertThat(log.infos.get(0)).isEqualTo("Downloaded 0/2 packages, 2.0/20.0 MB");
        assertThat(log.infos.get(9)).isEqualTo("Downloaded 0/2 packages, 20.0/20.0 MB");
        assertThat(log.infos.get(10)).startsWith("Downloaded 2 packages (20.0 MB) in ");
    }

    @Test
    void bytesOfAFailedAttemptAreTakenBackAndLogAgainWhenRefetched() {
        DownloadProgress progress = new DownloadProgress(log, 1, 1_000_000, Duration.ofHours(1), Duration.ZERO);

        progress.advance(500_000);
        progress.advance(-500_000);
        progress.advance(1_000_000);

        assertThat(log.infos)
                .containsExactly("Downloaded 0/1 packages, 0.5/1.0 MB", "Downloaded 0/1 packages, 1.0/1.0 MB");
    }

    @Test
    void staysQuietAtFirstSoAQuickBatchLogsOnlyItsSummary() {
        DownloadProgress progress = new DownloadProgress(log, 1, 1_000, Duration.ofHours(1), Duration.ofHours(1));

        progress.advance(1_000);
        progress.packageDone();
        progress.finish();

        assertThat(log.infos).singleElement().asString().startsWith("Downloaded 1 package (0.0 MB) in ");
    }
}
