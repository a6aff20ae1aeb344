package ai.molecule.build;

import static ai.molecule.build.EngineSupport.docker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import ai.molecule.core.CacheOutcome;
import ai.molecule.image.ImageSpec;
import ai.molecule.image.NpmLayer;
import ai.molecule.lock.MoleculeLock;
import ai.molecule.rootfs.RootfsAssembler;
import ai.molecule.sbom.Component;
import ai.molecule.testing.PipStandInWheels;
import ai.molecule.testing.RecordingLog;
import ai.molecule.testing.TestCaches;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The claude-code image the way a template builds it — Debian bookworm packages, the workspace
 * runtime with pip (the test stand-in wheel from a local wheelhouse), {@code @anthropic-ai/claude-code}
 * with npm from the public registry, template files — loaded into the engine and run as uid 1000;
 * then the same image with the runtime version bumped, and once more with nothing changed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RuntimeLayersIT {
    private static final Instant CREATED = Instant.parse("2026-01-01T00:00:00Z");
    /** Shared with DebianImageIT: the .debs, the layers and npm's downloads survive between runs. */
    private static final Path CACHE = TestCaches.layers();

    private final EngineSupport.Images images = new EngineSupport.Images();
    private final RecordingLog log = new RecordingLog();
    private Path dir;
    private BuildResult first;
    private BuildResult bumped;
    private List<String> unchangedLog;

    @BeforeAll
    void buildThreeTimes(@TempDir Path temp) throws Exception {
        EngineSupport.requireEngine();
        dir = temp;
        PipStandInWheels.write(dir.resolve("wheelhouse"), "1.0.0");
        PipStandInWheels.write(dir.resolve("wheelhouse"), "1.0.1");
        Files.createDirectories(dir.resolve("image/app"));
        Files.writeString(dir.resolve("image/app/adapter.py"), "print('adapter')\n");
        ImageBuilder builder = new ImageBuilder(CACHE, log);
        String image = images.unique("runtime-layers");
        first = Locking.lockAndBuild(builder, spec("1.0.0"), new DockerTarget(image), dir.resolve("out"));
        images.track(first.imageId());
        log.messages().forEach(line -> System.out.println("[build 1.0.0] " + line));
        int mark = log.messages().size();
        builder.build(spec("1.0.0"), new DockerTarget(image), dir.resolve("out"));
        unchangedLog = List.copyOf(log.messages().subList(mark, log.messages().size()));
        mark = log.messages().size();
        bumped = Locking.lockAndBuild(builder, spec("1.0.1"), new DockerTarget(image), dir.resolve("out"));
        log.messages()
                .subList(mark, log.messages().size())
                .forEach(line -> System.out.println("[build 1.0.1] " + line));
    }

    @AfterAll
    void removeImages() {
        images.removeAll();
    }

    @Test
    void runtimeImportsAndItsConsoleScriptRunAsAgent() {
        assertThat(asAgent(first, "id", "-un")).isEqualTo("agent\n");
        assertThat(asAgent(first, "python3", "-c", "import " + PipStandInWheels.MODULE + " as m; print(m.__version__)"))
                .isEqualTo("1.0.0\n");
        assertThat(asAgent(first, "head", "-1", "/usr/local/bin/" + PipStandInWheels.SCRIPT))
                .isEqualTo("#!/usr/bin/python3\n");
        assertThat(asAgent(first, PipStandInWheels.SCRIPT)).isEqualTo("molecule-runtime stand-in 1.0.0\n");
    }

    @Test
    void claudeCodeRunsAsAgent() {
        assertThat(asAgent(first, "claude", "--version")).matches("(?s)\\d+\\.\\d+\\.\\d+.*");
    }

    @Test
    void runtimeBumpRebuildsThePipLayerOnly() {
        List<String> names =
                first.layers().stream().map(BuildResult.LayerReport::name).toList();
        assertThat(names).endsWith(RootfsAssembler.SYSTEM_LAYER, "npm", "pip", "image-files");
        assertThat(bumped.layers()).extracting(BuildResult.LayerReport::name).containsExactlyElementsOf(names);
        int pip = names.indexOf("pip");
        for (int i = 0; i < names.size(); i++) {
            assertThat(bumped.layers().get(i).cache())
                    .as(names.get(i))
                    .isEqualTo(i == pip ? CacheOutcome.MISS : CacheOutcome.HIT);
            if (i != pip) {
                assertThat(bumped.layers().get(i).key())
                        .isEqualTo(first.layers().get(i).key());
            }
        }
        assertThat(bumped.layers().get(pip).key())
                .isNotEqualTo(first.layers().get(pip).key());
        assertThat(bumped.imageId()).isNotEqualTo(first.imageId());
        assertThat(bumped.sbom())
                .filteredOn(c -> c.type().equals("pypi"))
                .extracting(Component::name, Component::version)
                .containsExactly(tuple(PipStandInWheels.PROJECT, "1.0.1"));
        assertThat(bumped.sbom())
                .filteredOn(c -> c.type().equals("npm") && c.name().equals("@anthropic-ai/claude-code"))
                .singleElement()
                .satisfies(c -> assertThat(c.integrity()).startsWith("sha512-"));
        assertThat(asAgent(bumped, PipStandInWheels.SCRIPT)).isEqualTo("molecule-runtime stand-in 1.0.1\n");
    }

    @Test
    void unchangedRebuildHitsEveryLayerAndLoadsNothing() {
        assertThat(unchangedLog)
                .filteredOn(line -> line.startsWith("Layer "))
                .hasSize(first.layers().size())
                .allMatch(line -> line.contains(" cached "));
        assertThat(unchangedLog).anyMatch(line -> line.contains("nothing to load"));
    }

    private ImageSpec spec(String runtimeVersion) throws Exception {
        return RuntimeLayersTest.runtimeImage(
                        dir.resolve("wheelhouse"),
                        dir.resolve("image"),
                        runtimeVersion,
                        NpmLayer.of("@anthropic-ai/claude-code"))
                .osPackages(DebianImageIT.claudeCodePackages(List.of()))
                .lockFile(dir.resolve(MoleculeLock.FILE_NAME))
                .creationTime(CREATED)
                .build();
    }

    private static String asAgent(BuildResult image, String... command) {
        String[] args = new String[command.length + 5];
        args[0] = "run";
        args[1] = "--rm";
        args[2] = "--user";
        args[3] = "1000";
        args[4] = image.imageId();
        System.arraycopy(command, 0, args, 5, command.length);
        return docker(args).ok();
    }
}
