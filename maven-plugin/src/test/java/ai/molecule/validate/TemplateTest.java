package ai.molecule.validate;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A rule test: each test writes a fresh template project in a temp dir. */
abstract class TemplateTest {
    @TempDir
    Path project;

    TemplateFixture template;

    @BeforeEach
    void freshTemplate() {
        template = new TemplateFixture(project);
    }
}
