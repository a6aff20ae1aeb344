package ai.molecule.build;

import static ai.molecule.build.EngineSupport.BINARY;
import static ai.molecule.build.EngineSupport.docker;
import static ai.molecule.build.EngineSupport.expectedOutput;
import static org.assertj.core.api.Assertions.assertThat;

import ai.molecule.core.CacheOutcome;
import ai.molecule.image.BaseImage;
import ai.molecule.image.ImageSpec;
import ai.molecule.testing.RecordingLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An image built FROM scratch to the tar target, with nothing but a {@code gcc -static} binary in
 * it, loads into a real engine with {@code docker load -i} and runs there.
 */
class ScratchImageIT extends StaticBinaryEngineTest {

    @Test
    void scratchImageRunsInEngine() throws Exception {
        String nonce = UUID.randomUUID().toString();
        String image = images.unique("scratch");
        Path tar = work.resolve("out/image.tar");
        RecordingLog log = new RecordingLog();

        BuildResult result = new ImageBuilder(cache, log)
                .build(
                        ImageSpec.builder()
                                .base(new BaseImage.Scratch())
                                .addLayer(EngineSupport.binaryLayer(binaryDir))
                                .environment(Map.of("MOLECULE_NONCE", nonce))
                                .entrypoint(List.of(BINARY))
                                .build(),
                        new TarTarget(image, tar),
                        work.resolve("report"));

        assertThat(result.target()).isEqualTo("tar");
        assertThat(result.output()).isEqualTo(tar.toString());
        assertThat(result.layers()).singleElement().satisfies(layer -> {
            assertThat(layer.source()).isEqualTo("build");
            assertThat(layer.cache()).isEqualTo(CacheOutcome.MISS);
        });
        assertThat(work.resolve("report").resolve(ImageBuilder.REPORT_FILE)).isRegularFile();
        assertThat(tar).isRegularFile();

        String loaded = docker("load", "-i", tar.toString()).ok();
        images.track(result.imageId());
        assertThat(loaded).contains("Loaded image: " + image);
        assertThat(EngineSupport.engineImageId(image)).isEqualTo(result.imageId());
        assertThat(EngineSupport.engineLayers(image))
                .containsExactly(result.layers().get(0).diffId());

        EngineSupport.Exec run = docker("run", "--rm", image);
        assertThat(run.exit()).as("docker run exit; stderr: %s", run.stderr()).isZero();
        assertThat(run.stdout()).isEqualTo(expectedOutput(nonce));
    }

    @Test
    void hardlinkedSecondNameRunsAndIsStoredOnce(@TempDir Path linked) throws Exception {
        Files.createDirectories(linked.resolve("bin"));
        Files.copy(binaryDir.resolve(BINARY.substring(1)), linked.resolve("bin/molecule-it"));
        Files.createLink(linked.resolve("bin/molecule-it-alias"), linked.resolve("bin/molecule-it"));
        String nonce = UUID.randomUUID().toString();
        String image = images.unique("scratch-hardlink");

        BuildResult result = new ImageBuilder(cache, new RecordingLog())
                .build(
                        ImageSpec.builder()
                                .addLayer(EngineSupport.binaryLayer(linked))
                                .environment(Map.of("MOLECULE_NONCE", nonce))
                                .entrypoint(List.of("/bin/molecule-it-alias"))
                                .build(),
                        new DockerTarget(image),
                        work.resolve("report"));
        images.track(result.imageId());

        long binarySize = Files.size(linked.resolve("bin/molecule-it"));
        assertThat(result.layers().get(0).size()).isLessThan(2 * binarySize);
        EngineSupport.Exec run = docker("run", "--rm", image);
        assertThat(run.exit()).as("docker run exit; stderr: %s", run.stderr()).isZero();
        assertThat(run.stdout()).isEqualTo(expectedOutput(nonce));
    }

    @Test
    void buildArgsBecomeImageLabels() throws Exception {
        String argValue = "value-" + EngineSupport.randomHex(8);
        String image = images.unique("scratch-labels");
        Path tar = work.resolve("labels.tar");

        BuildResult result = new ImageBuilder(cache, new RecordingLog())
                .build(
                        ImageSpec.builder()
                                .addLayer(EngineSupport.binaryLayer(binaryDir))
                                .environment(Map.of("MOLECULE_NONCE", argValue))
                                .entrypoint(List.of(BINARY))
                                .labels(Map.of("org.opencontainers.image.title", "molecule-it"))
                                .buildArgs(Map.of("CLAUDE_VERSION", argValue))
                                .build(),
                        new TarTarget(image, tar),
                        work.resolve("report"));
        assertThat(result.buildArgs()).containsExactly(Map.entry("CLAUDE_VERSION", argValue));

        docker("load", "-i", tar.toString()).ok();
        images.track(result.imageId());

        String label = docker(
                        "image",
                        "inspect",
                        "--format",
                        "{{index .Config.Labels \"ai.molecule.build-arg.CLAUDE_VERSION\"}}|"
                                + "{{index .Config.Labels \"org.opencontainers.image.title\"}}",
                        image)
                .ok()
                .strip();
        assertThat(label).isEqualTo(argValue + "|molecule-it");
    }
}
