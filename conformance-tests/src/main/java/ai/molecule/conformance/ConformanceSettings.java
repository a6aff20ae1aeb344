package ai.molecule.conformance;

import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;

/**
 * The gate's parameters, read as JUnit configuration parameters (so system properties work, and a
 * launcher request can bind a run to an image).
 *
 * @param image the image under test ({@value #IMAGE}); null when unset
 * @param imageTar a docker-save tar loaded into the engine first ({@value #IMAGE_TAR}); null when unset
 * @param reportDirectory where {@value ConformanceReport#FILE_NAME} goes ({@value #REPORT_DIRECTORY})
 * @param skip whether the gate is skipped on purpose ({@value #SKIP})
 */
public record ConformanceSettings(String image, Path imageTar, Path reportDirectory, boolean skip) {
    public static final String IMAGE = "molecule.conformance.image";
    public static final String IMAGE_TAR = "molecule.conformance.imageTar";
    public static final String REPORT_DIRECTORY = "molecule.conformance.reportDirectory";
    public static final String SKIP = "molecule.conformance.skip";
    public static final String DEFAULT_REPORT_DIRECTORY = "target/molecule";

    static ConformanceSettings from(Function<String, Optional<String>> parameters) {
        return new ConformanceSettings(
                parameters.apply(IMAGE).filter(s -> !s.isBlank()).orElse(null),
                parameters
                        .apply(IMAGE_TAR)
                        .filter(s -> !s.isBlank())
                        .map(Path::of)
                        .orElse(null),
                Path.of(parameters
                        .apply(REPORT_DIRECTORY)
                        .filter(s -> !s.isBlank())
                        .orElse(DEFAULT_REPORT_DIRECTORY)),
                parameters.apply(SKIP).map(Boolean::parseBoolean).orElse(false));
    }

    /** The image under test, loaded from {@link #imageTar} when given, and present in the engine. */
    String requireImage() {
        if (image == null) {
            throw new IllegalStateException("No image to test: set -D" + IMAGE + "=<image> to the image"
                    + " molecule:build-image produced (the template parent POM passes ${molecule.image})");
        }
        if (imageTar != null) {
            LocalEngine.load(imageTar);
        }
        LocalEngine.requirePresent(image);
        return image;
    }
}
