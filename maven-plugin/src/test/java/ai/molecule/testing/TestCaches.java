package ai.molecule.testing;

import java.nio.file.Path;

/**
 * Where tests keep downloads between runs: under the module's {@code target/}, never the user's
 * {@code ~/.cache}, so {@code mvn clean} removes them and a test run touches nothing else.
 */
public final class TestCaches {
    private TestCaches() {}

    /** The layer cache the engine tests share, so the Debian packages are downloaded once per checkout. */
    public static Path layers() {
        return Path.of("target", "debian-it-cache").toAbsolutePath();
    }

    /** A download cache of its own for {@code name}. */
    public static Path of(String name) {
        return Path.of("target", "test-downloads", name).toAbsolutePath();
    }
}
