package ai.molecule.build;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * Base of the engine tests that build images around the static test binary: the engine must
 * answer, the binary is compiled once per class, each test gets a fresh cache and work directory,
 * and every image a test names is removed after it.
 */
abstract class StaticBinaryEngineTest {
    @TempDir
    static Path binaryDir;

    @TempDir
    Path cache;

    @TempDir
    Path work;

    final EngineSupport.Images images = new EngineSupport.Images();

    @BeforeAll
    static void engineAndBinary() throws Exception {
        EngineSupport.requireEngine();
        EngineSupport.compileStaticBinary(binaryDir);
    }

    @AfterEach
    void removeImages() {
        images.removeAll();
    }
}
