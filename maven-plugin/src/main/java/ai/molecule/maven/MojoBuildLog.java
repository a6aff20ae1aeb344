package ai.molecule.maven;

import ai.molecule.core.BuildLog;
import org.apache.maven.plugin.logging.Log;

/** Sends core progress to Maven's log. */
final class MojoBuildLog implements BuildLog {
    private final Log log;

    MojoBuildLog(Log log) {
        this.log = log;
    }

    @Override
    public void info(String message) {
        log.info(message);
    }

    @Override
    public void warn(String message) {
        log.warn(message);
    }

    @Override
    public void debug(String message) {
        log.debug(message);
    }
}
