package ai.molecule.build;

/** Byte counts as the log shows them. */
final class Sizes {
    private Sizes() {}

    static String of(long bytes) {
        return bytes < 1024 * 1024
                ? String.format("%.1f KB", bytes / 1024.0)
                : String.format("%.1f MB", bytes / 1048576.0);
    }
}
