package ai.molecule.run;

import ai.molecule.build.BuildResult;
import ai.molecule.build.DockerTarget;
import ai.molecule.build.ImageBuilder;
import ai.molecule.config.ConfigurationProcessor;
import ai.molecule.core.BuildLog;
import ai.molecule.core.MoleculeException;
import ai.molecule.validate.Validator;
import java.io.IOException;
import java.nio.file.Path;

/**
 * One build of the template for the local engine, as {@code mvn verify} would make it: the
 * validate rules first, then the pipeline with the docker target, which loads only the layers the
 * engine lacks. Run again after an edit, unchanged layers come from the content-keyed cache.
 */
public final class WorkspaceBuild {
    /** The configuration of the next build; asked before every build, so that edited inputs are read anew. */
    @FunctionalInterface
    public interface Configurations {
        /** @param pomChanged whether the POM changed since the last one, so its parameters must be read again */
        ConfigurationProcessor next(boolean pomChanged) throws MoleculeException, IOException;
    }

    private final Configurations configurations;
    private final ImageBuilder builder;
    private final String image;
    private final Path outputDirectory;

    public WorkspaceBuild(Configurations configurations, ImageBuilder builder, String image, Path outputDirectory) {
        this.configurations = configurations;
        // A workspace run locally is no release: its rebuilds write no SBOMs (a few hundred ms each).
        this.builder = builder.withoutSboms();
        this.image = image;
        this.outputDirectory = outputDirectory;
    }

    /** The image reference the builds load into the engine. */
    public String image() {
        return image;
    }

    /** A build's result and what its two steps cost. */
    public record Built(BuildResult result, long validateMillis, long buildMillis) {
        public String imageId() {
            return result.imageId();
        }
    }

    /** Validates the template, then builds it into the engine; the validator's verdicts come first and fail it. */
    public Built build(boolean pomChanged) throws MoleculeException, IOException {
        long start = System.nanoTime();
        ConfigurationProcessor configuration = configurations.next(pomChanged);
        Validator.standard()
                .validate(
                        configuration.projectDirectory(),
                        configuration::validationLayers,
                        configuration.workspaceImage(),
                        BuildLog.SILENT);
        long validated = System.nanoTime();
        BuildResult result = builder.build(configuration, new DockerTarget(image), outputDirectory);
        return new Built(result, (validated - start) / 1_000_000, (System.nanoTime() - validated) / 1_000_000);
    }
}
