package ai.molecule.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import ai.molecule.core.CacheOutcome;
import ai.molecule.core.MoleculeException;
import ai.molecule.debian.LockedPackage;
import ai.molecule.files.FileLayers;
import ai.molecule.image.ImageSpec;
import ai.molecule.image.NpmLayer;
import ai.molecule.image.PipLayer;
import ai.molecule.lock.MoleculeLock;
import ai.molecule.pip.PipException;
import ai.molecule.sbom.Component;
import ai.molecule.testing.LocalNpmRegistry;
import ai.molecule.testing.PipStandInWheels;
import ai.molecule.testing.RecordingLog;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * pip and npm layers in the image builder (tar target): order, cache hits across a runtime bump,
 * SBOM. The npm package comes from a registry on 127.0.0.1, the runtime from a local wheelhouse.
 */
class RuntimeLayersTest {
    private static final Instant CREATED = Instant.parse("2026-01-01T00:00:00Z");
    private static final String NPM_PACKAGE = "molecule-cli-standin";

    @TempDir
    Path tmp;

    private Path wheelhouse;
    private final RecordingLog log = new RecordingLog();
    private LocalNpmRegistry registry;

    @AfterEach
    void stopRegistry() {
        registry.close();
    }

    @BeforeEach
    void wheelhouseWithTwoRuntimeVersionsAndARegistry() throws Exception {
        registry = LocalNpmRegistry.serving(NPM_PACKAGE);
        wheelhouse = tmp.resolve("wheelhouse");
        PipStandInWheels.write(wheelhouse, "1.0.0");
        PipStandInWheels.write(wheelhouse, "1.0.1");
        Files.createDirectories(tmp.resolve("image/app"));
        Files.writeString(tmp.resolve("image/app/adapter.py"), "print('adapter')\n");
    }

    @Test
    void runtimeVersionBumpRebuildsOnlyThePipLayer() throws Exception {
        BuildResult first = build(spec("1.0.0"));
        BuildResult bumped = build(spec("1.0.1"));

        assertThat(first.layers())
                .extracting(BuildResult.LayerReport::name, BuildResult.LayerReport::cache)
                .containsExactly(
                        tuple("npm", CacheOutcome.MISS),
                        tuple("pip", CacheOutcome.MISS),
                        tuple("image-files", CacheOutcome.MISS));
        assertThat(bumped.layers())
                .extracting(BuildResult.LayerReport::name, BuildResult.LayerReport::cache)
                .containsExactly(
                        tuple("npm", CacheOutcome.HIT),
                        tuple("pip", CacheOutcome.MISS),
                        tuple("image-files", CacheOutcome.HIT));
        assertThat(bumped.layers().get(1).key())
                .isNotEqualTo(first.layers().get(1).key());
        assertThat(bumped.imageId()).isNotEqualTo(first.imageId());
        assertThat(bumped.sbom())
                .extracting(Component::type, Component::name, Component::version)
                .containsExactly(
                        tuple("npm", NPM_PACKAGE, LocalNpmRegistry.VERSION),
                        tuple("pypi", PipStandInWheels.PROJECT, "1.0.1"));
        assertThat(bumped.sbom().get(1).sha256()).matches("[0-9a-f]{64}");
        assertThat(bumped.sbom().get(0).integrity()).startsWith("sha512-");
        // The SBOMs beside the report describe the bumped image: its ID, the new runtime's package URL and hash.
        String cyclonedx = Files.readString(tmp.resolve("out").resolve(ImageBuilder.CYCLONEDX_FILE));
        String spdx = Files.readString(tmp.resolve("out").resolve(ImageBuilder.SPDX_FILE));
        assertThat(cyclonedx)
                .contains(
                        bumped.imageId(),
                        "pkg:pypi/molecule-ai-workspace-runtime@1.0.1",
                        bumped.sbom().get(1).sha256());
        assertThat(spdx)
                .contains(
                        bumped.imageId(),
                        "pkg:pypi/molecule-ai-workspace-runtime@1.0.1",
                        bumped.sbom().get(1).sha256());
        assertThat(log.infos).anySatisfy(line -> assertThat(line).matches("Layer pip +built .*"));
        assertThat(log.infos).anySatisfy(line -> assertThat(line).matches("Layer npm +cached .*"));
    }

    @Test
    void sameInputsReuseEveryLayer() throws Exception {
        BuildResult first = build(spec("1.0.0"));
        BuildResult again = build(spec("1.0.0"));

        assertThat(again.layers()).extracting(BuildResult.LayerReport::cache).containsOnly(CacheOutcome.HIT);
        assertThat(again.imageId()).isEqualTo(first.imageId());
    }

    @Test
    void runtimeVersionThatDoesNotExistFailsToLockNamingItAndLeavesLockAndImageAsTheyWere() throws Exception {
        Path out = tmp.resolve("out");
        build(spec("1.0.0"));
        String lock = Files.readString(tmp.resolve(MoleculeLock.FILE_NAME));
        long image = Files.size(out.resolve("image.tar"));

        assertThatThrownBy(() -> build(spec("9.9.9")))
                .isInstanceOf(PipException.class)
                .hasMessageContaining(PipStandInWheels.PROJECT + "==9.9.9")
                .hasMessageContaining("find-links " + wheelhouse)
                .hasMessageContaining("Set <runtimeVersion> to a released version")
                .hasMessageContaining("1.0.0, 1.0.1");
        assertThat(tmp.resolve(MoleculeLock.FILE_NAME)).hasContent(lock);
        assertThat(Files.size(out.resolve("image.tar"))).isEqualTo(image);
        try (Stream<Path> files = Files.list(tmp)) {
            assertThat(files).noneMatch(file -> file.getFileName().toString().endsWith(".part"));
        }
    }

    @Test
    void aRuntimeBumpWithoutReLockingFailsNamingTheInputAndTheFix() throws Exception {
        build(spec("1.0.0"));
        ImageBuilder builder = new ImageBuilder(tmp.resolve("cache"), log);
        Path out = tmp.resolve("out");

        assertThatThrownBy(() -> builder.build(
                        spec("1.0.1"), new TarTarget("molecule-test/runtime:1", out.resolve("image.tar")), out))
                .isInstanceOf(MoleculeException.class)
                .hasMessageContaining("was locked for other pip inputs than the POM now declares")
                .hasMessageContaining("<pip><runtimeVersion> (runtime.version) 1.0.0 → 1.0.1")
                .hasMessageContaining("Run `mvn molecule:lock`");
        assertThat(out.resolve("image.tar")).doesNotExist();
    }

    @Test
    void pipTargetsTheDebianLayersPython() throws Exception {
        PipLayer open = PipLayer.builder().requirement("x").build();
        List<LockedPackage> trixie = List.of(deb("libpython3.13-stdlib"), deb("python3"), deb("python3.13"));

        assertThat(Resolver.pythonVersion(open, trixie)).isEqualTo("3.13");
        assertThat(Resolver.pythonVersion(open, List.of(deb("curl")))).isEqualTo("3.11");
        assertThat(Resolver.pythonVersion(
                        PipLayer.builder()
                                .requirement("x")
                                .pythonVersion("3.12")
                                .build(),
                        List.of()))
                .isEqualTo("3.12");
        assertThatThrownBy(() -> Resolver.pythonVersion(
                        PipLayer.builder()
                                .requirement("x")
                                .pythonVersion("3.11")
                                .build(),
                        trixie))
                .isInstanceOf(MoleculeException.class)
                .hasMessageStartingWith("The pip layer is for Python 3.11 (<pip><pythonVersion>) but the Debian layer"
                        + " installs python3.13");
    }

    private static LockedPackage deb(String name) {
        return new LockedPackage(name, "1", "amd64", URI.create("http://deb.debian.org/debian/"), "p", 1, "0");
    }

    private ImageSpec spec(String runtimeVersion) throws Exception {
        NpmLayer npm = NpmLayer.of(registry.spec()).withRegistry(registry.url());
        return runtimeImage(wheelhouse, tmp.resolve("image"), runtimeVersion, npm)
                .lockFile(tmp.resolve(MoleculeLock.FILE_NAME))
                .creationTime(CREATED)
                .build();
    }

    /** The stand-in runtime at {@code runtimeVersion} from {@code wheelhouse}, the npm layer, template files. */
    static ImageSpec.Builder runtimeImage(Path wheelhouse, Path imageFiles, String runtimeVersion, NpmLayer npm)
            throws Exception {
        return ImageSpec.builder()
                .pip(PipLayer.builder()
                        .runtimeVersion(runtimeVersion)
                        .noIndex(true)
                        .findLinks(wheelhouse)
                        .build())
                .npm(npm)
                .addLayer(FileLayers.scan("image-files", imageFiles, "/", List.of(), List.of(), List.of(), Map.of()));
    }

    private BuildResult build(ImageSpec spec) throws Exception {
        Path out = tmp.resolve("out");
        return Locking.lockAndBuild(
                new ImageBuilder(tmp.resolve("cache"), log),
                spec,
                new TarTarget("molecule-test/runtime:1", out.resolve("image.tar")),
                out);
    }
}
