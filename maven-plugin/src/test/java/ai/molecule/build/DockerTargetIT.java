package ai.molecule.build;

import static ai.molecule.build.EngineSupport.BINARY;
import static ai.molecule.build.EngineSupport.docker;
import static ai.molecule.build.EngineSupport.engineImageId;
import static ai.molecule.build.EngineSupport.engineLayers;
import static ai.molecule.build.EngineSupport.expectedOutput;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import ai.molecule.core.CacheOutcome;
import ai.molecule.core.LayerSpec;
import ai.molecule.files.FileLayers;
import ai.molecule.image.BaseImage;
import ai.molecule.image.ImageSpec;
import ai.molecule.testing.RecordingLog;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The docker target against a real engine: the loaded image runs, an unchanged rebuild loads
 * nothing, a one-byte change rebuilds and sends just its layer, and a {@code docker://} base
 * contributes its layers below ours.
 */
class DockerTargetIT extends StaticBinaryEngineTest {
    private static final String EXTRA_FILE = "/etc/molecule/extra.txt";

    @Test
    void dockerTargetImageRuns() throws Exception {
        String nonce = UUID.randomUUID().toString();
        String image = images.unique("docker-target");
        RecordingLog log = new RecordingLog();

        BuildResult result = build(log, image, spec(nonce).build());
        images.track(result.imageId());

        assertThat(result.target()).isEqualTo("docker");
        assertThat(result.layers()).extracting(BuildResult.LayerReport::cache).containsExactly(CacheOutcome.MISS);
        assertThat(log.messages())
                .contains("Loading " + image + " into the engine: 1 of 1 layers, "
                        + Sizes.of(result.layers().get(0).size()));
        assertThat(engineImageId(image)).isEqualTo(result.imageId());
        assertThat(engineLayers(image)).containsExactly(result.layers().get(0).diffId());

        EngineSupport.Exec run = docker("run", "--rm", image);
        assertThat(run.exit()).as("docker run exit; stderr: %s", run.stderr()).isZero();
        assertThat(run.stdout()).isEqualTo(expectedOutput(nonce));
    }

    @Test
    void unchangedBuildLoadsNothing() throws Exception {
        String nonce = UUID.randomUUID().toString();
        String image = images.unique("unchanged");
        writeExtra("unchanged content\n");

        RecordingLog first = new RecordingLog();
        BuildResult before =
                build(first, image, spec(nonce).addLayer(extraLayer()).build());
        images.track(before.imageId());
        assertThat(before.layers())
                .extracting(BuildResult.LayerReport::cache)
                .containsExactly(CacheOutcome.MISS, CacheOutcome.MISS);
        assertThat(first.messages()).anyMatch(line -> line.startsWith("Loading " + image + " into the engine: 2 of 2"));

        RecordingLog second = new RecordingLog();
        BuildResult after =
                build(second, image, spec(nonce).addLayer(extraLayer()).build());

        assertThat(after.imageId()).isEqualTo(before.imageId());
        assertThat(after.layers())
                .extracting(BuildResult.LayerReport::cache)
                .containsExactly(CacheOutcome.HIT, CacheOutcome.HIT);
        assertThat(after.layers())
                .extracting(BuildResult.LayerReport::diffId)
                .containsExactlyElementsOf(before.layers().stream()
                        .map(BuildResult.LayerReport::diffId)
                        .toList());
        assertThat(second.messages())
                .contains("Engine already holds " + image + " as " + before.imageId() + "; nothing to load")
                .noneMatch(line -> line.startsWith("Loading "));
        assertThat(engineImageId(image)).isEqualTo(before.imageId());
    }

    @Test
    void changedByteRebuildsAndLoadsOnlyItsLayer() throws Exception {
        String nonce = UUID.randomUUID().toString();
        String image = images.unique("changed");
        Path extra = writeExtra("extra content version 1\n");

        BuildResult before = build(
                new RecordingLog(), image, spec(nonce).addLayer(extraLayer()).build());
        images.track(before.imageId());

        byte[] bytes = Files.readAllBytes(extra);
        int last = bytes.length - 2; // the '1' before the newline
        assertThat((char) bytes[last]).isEqualTo('1');
        bytes[last] = '2';
        Files.write(extra, bytes);

        RecordingLog log = new RecordingLog();
        BuildResult after = build(log, image, spec(nonce).addLayer(extraLayer()).build());
        images.track(after.imageId());

        assertThat(after.imageId()).isNotEqualTo(before.imageId());
        assertThat(after.layers())
                .extracting(BuildResult.LayerReport::name, BuildResult.LayerReport::cache)
                .containsExactly(tuple("app", CacheOutcome.HIT), tuple("extra", CacheOutcome.MISS));
        assertThat(after.layers().get(0).diffId())
                .isEqualTo(before.layers().get(0).diffId());
        assertThat(after.layers().get(1).diffId())
                .isNotEqualTo(before.layers().get(1).diffId());
        assertThat(log.messages())
                .contains("Loading " + image + " into the engine: 1 of 2 layers, "
                        + Sizes.of(after.layers().get(1).size()));

        assertThat(engineImageId(image)).isEqualTo(after.imageId());
        assertThat(engineLayers(image))
                .containsExactly(
                        after.layers().get(0).diffId(), after.layers().get(1).diffId());
        EngineSupport.Exec run = docker("run", "--rm", image, EXTRA_FILE);
        assertThat(run.exit()).as("docker run exit; stderr: %s", run.stderr()).isZero();
        assertThat(run.stdout()).isEqualTo(expectedOutput(nonce) + "extra content version 2\n");
    }

    @Test
    void dockerBaseLayersComeFirstAndImageRuns() throws Exception {
        String baseNonce = UUID.randomUUID().toString();
        String baseImage = images.unique("docker-base");
        BuildResult base = build(new RecordingLog(), baseImage, spec(baseNonce).build());
        images.track(base.imageId());
        List<String> baseLayers = engineLayers(baseImage);
        assertThat(baseLayers).hasSize(1);

        String nonce = UUID.randomUUID().toString();
        String image = images.unique("docker-derived");
        writeExtra("on top of the base\n");
        RecordingLog log = new RecordingLog();
        // No entrypoint here: it comes from the base's config; the nonce overrides the base's.
        BuildResult derived = build(
                log,
                image,
                ImageSpec.builder()
                        .base(new BaseImage.DockerDaemon(baseImage))
                        .addLayer(extraLayer())
                        .environment(Map.of("MOLECULE_NONCE", nonce))
                        .build());
        images.track(derived.imageId());

        assertThat(derived.base()).isEqualTo("docker://" + baseImage);
        assertThat(derived.layers())
                .extracting(
                        BuildResult.LayerReport::source,
                        BuildResult.LayerReport::diffId,
                        BuildResult.LayerReport::cache)
                .containsExactly(
                        tuple("base", baseLayers.get(0), CacheOutcome.HIT),
                        tuple("build", derived.layers().get(1).diffId(), CacheOutcome.MISS));
        assertThat(log.messages())
                .contains("Fetching base docker://" + baseImage + " with Jib Core")
                .anyMatch(line -> line.startsWith("Base docker://" + baseImage + ": 1 layers ("));

        assertThat(engineImageId(image)).isEqualTo(derived.imageId());
        assertThat(engineLayers(image))
                .containsExactly(baseLayers.get(0), derived.layers().get(1).diffId());
        EngineSupport.Exec run = docker("run", "--rm", image, EXTRA_FILE);
        assertThat(run.exit()).as("docker run exit; stderr: %s", run.stderr()).isZero();
        assertThat(run.stdout()).isEqualTo(expectedOutput(nonce) + "on top of the base\n");
    }

    private ImageSpec.Builder spec(String nonce) throws Exception {
        return ImageSpec.builder()
                .addLayer(EngineSupport.binaryLayer(binaryDir))
                .environment(Map.of("MOLECULE_NONCE", nonce))
                .entrypoint(List.of(BINARY));
    }

    private Path writeExtra(String content) throws Exception {
        Path file = work.resolve("extra").resolve(EXTRA_FILE.substring(1));
        Files.createDirectories(file.getParent());
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return file;
    }

    private LayerSpec extraLayer() throws Exception {
        return FileLayers.scan("extra", work.resolve("extra"), "/", List.of(), List.of(), List.of(), Map.of());
    }

    private BuildResult build(RecordingLog log, String image, ImageSpec spec) throws Exception {
        return new ImageBuilder(cache, log).build(spec, new DockerTarget(image), work.resolve("report"));
    }
}
