package ai.molecule.conformance;

import com.github.dockerjava.api.command.InspectContainerResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.testcontainers.containers.ContainerLaunchException;
import org.testcontainers.containers.wait.strategy.AbstractWaitStrategy;

/**
 * Ready once the entrypoint has exec'd the workload: the container's main process runs exactly the
 * workload command. Says nothing about the user, so a workload wrongly left as root still boots
 * and the uid check can name the fault.
 */
final class WorkloadStarted extends AbstractWaitStrategy {
    private final List<String> workload;

    WorkloadStarted(List<String> workload) {
        this.workload = List.copyOf(workload);
    }

    @Override
    protected void waitUntilReady() {
        String expected = String.join("\0", workload) + "\0";
        Instant deadline = Instant.now().plus(startupTimeout);
        String seen = "";
        while (Instant.now().isBefore(deadline)) {
            InspectContainerResponse info = LocalEngine.client()
                    .inspectContainerCmd(waitStrategyTarget.getContainerId())
                    .exec();
            if (!Boolean.TRUE.equals(info.getState().getRunning())) {
                throw new ContainerLaunchException(
                        "the container exited (code " + info.getState().getExitCodeLong()
                                + ") before its entrypoint exec'd the workload " + workload + "; its log ends with:\n"
                                + tail(waitStrategyTarget.getLogs()));
            }
            seen = cmdline(info.getState().getPidLong());
            if (seen.equals(expected)) {
                return;
            }
            sleep();
        }
        throw new ContainerLaunchException("the entrypoint did not exec the workload " + workload + " within "
                + startupTimeout.toSeconds() + " s (main process runs `"
                + seen.replace('\0', ' ').strip()
                + "`); the entrypoint must end by exec'ing its arguments; its log ends with:\n"
                + tail(waitStrategyTarget.getLogs()));
    }

    private String cmdline(long pid) {
        try {
            return waitStrategyTarget
                    .execInContainer("cat", "/proc/" + pid + "/cmdline")
                    .getStdout();
        } catch (Exception e) {
            return "";
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(Duration.ofMillis(100).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ContainerLaunchException("interrupted while waiting for the workload", e);
        }
    }

    private static String tail(String log) {
        List<String> lines = log.lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    }
}
