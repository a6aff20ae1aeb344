package ai.molecule.core;

/** Where the core reports progress; the Maven mojos adapt their {@code Log} to it. */
public interface BuildLog {
    void info(String message);

    void warn(String message);

    void debug(String message);

    /** Discards everything; for callers that only want the result. */
    BuildLog SILENT = new BuildLog() {
        @Override
        public void info(String message) {}

        @Override
        public void warn(String message) {}

        @Override
        public void debug(String message) {}
    };
}
