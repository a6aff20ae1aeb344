package ai.molecule.testing;

import ai.molecule.core.BuildLog;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A build log that keeps every line, for assertions on what a build said. */
public final class RecordingLog implements BuildLog {
    public final List<String> infos = new CopyOnWriteArrayList<>();
    public final List<String> warnings = new CopyOnWriteArrayList<>();
    private final List<String> messages = new CopyOnWriteArrayList<>();

    @Override
    public void info(String message) {
        infos.add(message);
        messages.add(message);
    }

    @Override
    public void warn(String message) {
        warnings.add(message);
        messages.add(message);
    }

    @Override
    public void debug(String message) {}

    /** The info and warn messages in the order they were logged, as a Maven user would see them. */
    public List<String> messages() {
        return List.copyOf(messages);
    }
}
