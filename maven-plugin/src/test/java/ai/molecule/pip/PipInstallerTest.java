package ai.molecule.pip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.molecule.core.LayerCache;
import ai.molecule.image.PipLayer;
import ai.molecule.testing.PipStandInWheels;
import ai.molecule.testing.RecordingLog;
import ai.molecule.testing.TarEntries;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipInstallerTest {
    private static final Instant MTIME = Instant.parse("2026-01-01T00:00:00Z");
    private static final String SITE = "usr/local/lib/python3.11/dist-packages/";

    @TempDir
    Path temp;

    private Path wheelhouse;
    private LayerCache cache;
    private final RecordingLog log = new RecordingLog();

    @BeforeEach
    void wheelhouseWithTwoRuntimeVersions() throws IOException {
        wheelhouse = temp.resolve("wheelhouse");
        PipStandInWheels.write(wheelhouse, "1.0.0");
        PipStandInWheels.write(wheelhouse, "1.0.1");
        cache = new LayerCache(temp.resolve("cache"), log);
    }

    private PipLayer runtime(String version) {
        return PipLayer.builder()
                .runtimeVersion(version)
                .noIndex(true)
                .findLinks(wheelhouse)
                .build();
    }

    private PipInstaller installer() {
        return new PipInstaller(cache, log, "python3");
    }

    private PipLock lock(PipLayer layer) throws Exception {
        return installer().lock(layer.forPython(PipLayer.DEFAULT_PYTHON_VERSION), null, Set.of(), temp);
    }

    /** Locks from scratch, then builds the layer from that lock, as `molecule:lock` and `build-image` do. */
    private PipLayerResult lockAndInstall(PipInstaller installer, PipLayer layer, Instant mtime) throws Exception {
        PipLayer forImage = layer.forPython(PipLayer.DEFAULT_PYTHON_VERSION);
        return installer.install(forImage, installer.lock(forImage, null, Set.of(), temp), mtime);
    }

    @Test
    void runtimeLandsInSitePackagesWithItsScriptPointingAtTheImageInterpreter() throws Exception {
        PipLayerResult result = lockAndInstall(installer(), runtime("1.0.0"), MTIME);

        Map<String, String> texts = TarEntries.texts(result.blob().path());
        assertThat(texts.get(SITE + "molecule_runtime_standin/__init__.py")).contains("__version__ = \"1.0.0\"");
        assertThat(texts).containsKey(SITE + "molecule_ai_workspace_runtime-1.0.0.dist-info/METADATA");
        assertThat(texts.get("usr/local/bin/molecule-runtime"))
                .startsWith("#!/usr/bin/python3\n")
                .contains("from molecule_runtime_standin import main");
        byte[] script = texts.get("usr/local/bin/molecule-runtime").getBytes(StandardCharsets.UTF_8);
        assertThat(texts.get(SITE + "molecule_ai_workspace_runtime-1.0.0.dist-info/RECORD"))
                .startsWith("../../../bin/molecule-runtime,sha256="
                        + Base64.getUrlEncoder()
                                .withoutPadding()
                                .encodeToString(
                                        MessageDigest.getInstance("SHA-256").digest(script))
                        + "," + script.length + "\n");
        assertThat(texts.keySet()).noneMatch(name -> name.endsWith(".pyc"));

        Map<String, TarArchiveEntry> entries = TarEntries.read(result.blob().path());
        assertThat(entries.get("usr/local/bin/molecule-runtime").getMode() & 07777)
                .isEqualTo(0755);
        assertThat(entries.values()).allSatisfy(entry -> {
            assertThat(entry.getModTime().toInstant()).isEqualTo(MTIME);
            assertThat(entry.getLongUserId()).isZero();
        });
        assertThat(result.cacheHit()).isFalse();
    }

    @Test
    void lockPinsNameVersionWheelSourceAndHash() throws Exception {
        PipLock lock = lock(runtime("1.0.0"));

        String wheel = "molecule_ai_workspace_runtime-1.0.0-py3-none-any.whl";
        assertThat(lock.pins())
                .containsExactly(new PipLock.Pin(
                        PipStandInWheels.PROJECT,
                        "1.0.0",
                        wheel,
                        temp.relativize(wheelhouse.resolve(wheel)).toString(),
                        LayerCache.sha256(wheelhouse.resolve(wheel)),
                        List.of()));
        assertThat(lock.inputs().runtimeVersion()).isEqualTo("1.0.0");
        assertThat(lock.inputs().findLinks())
                .containsExactly(temp.relativize(wheelhouse).toString());
        assertThat(lock.inputs().python()).isEqualTo("3.11");
    }

    @Test
    void reLockingKeepsTheLockedVersionUntilAnUpdateNamesIt() throws Exception {
        Path only100 = Files.createDirectories(temp.resolve("only-1.0.0"));
        PipStandInWheels.write(only100, "1.0.0");
        PipLayer unpinned = PipLayer.builder()
                .requirement(PipStandInWheels.PROJECT)
                .noIndex(true)
                .findLinks(only100)
                .build()
                .forPython("3.11");
        PipLock first = installer().lock(unpinned, null, Set.of(), temp);
        PipStandInWheels.write(only100, "1.0.1");

        PipLock kept = installer().lock(unpinned, first, Set.of(), temp);
        PipLock updated = installer().lock(unpinned, first, Set.of(PipStandInWheels.PROJECT), temp);

        assertThat(first.versions()).containsEntry(PipStandInWheels.PROJECT, "1.0.0");
        assertThat(kept).isEqualTo(first);
        assertThat(updated.versions()).containsEntry(PipStandInWheels.PROJECT, "1.0.1");
    }

    @Test
    void aTamperedWheelIsRefusedNamingPackageAndBothHashesAndNothingIsCached() throws Exception {
        PipLayer layer = runtime("1.0.0").forPython("3.11");
        PipLock lock = installer().lock(layer, null, Set.of(), temp);
        Path wheel = wheelhouse.resolve("molecule_ai_workspace_runtime-1.0.0-py3-none-any.whl");
        String locked = LayerCache.sha256(wheel);
        Files.copy(
                wheelhouse.resolve("molecule_ai_workspace_runtime-1.0.1-py3-none-any.whl"),
                wheel,
                StandardCopyOption.REPLACE_EXISTING);

        assertThatThrownBy(() -> installer().install(layer, lock, MTIME))
                .isInstanceOf(PipException.class)
                .hasMessageContaining("pip refused " + PipStandInWheels.PROJECT + " 1.0.0")
                .hasMessageContaining("the lock expects " + locked)
                .hasMessageContaining("its SHA-256 is " + LayerCache.sha256(wheel));
        assertThat(filesUnder(temp.resolve("cache"))).isZero();
    }

    @Test
    void aWithdrawnWheelNamesPackageVersionAndTheFix() throws Exception {
        PipLayer layer = runtime("1.0.0").forPython("3.11");
        PipLock lock = installer().lock(layer, null, Set.of(), temp);
        Files.delete(wheelhouse.resolve("molecule_ai_workspace_runtime-1.0.0-py3-none-any.whl"));

        assertThatThrownBy(() -> installer().install(layer, lock, MTIME))
                .isInstanceOf(PipException.class)
                .hasMessageContaining("The lock names " + PipStandInWheels.PROJECT + " 1.0.0")
                .hasMessageContaining("no longer serves it")
                .hasMessageContaining("-Dmolecule.lock.update=" + PipStandInWheels.PROJECT);
        assertThat(filesUnder(temp.resolve("cache"))).isZero();
    }

    @Test
    void installedScriptRunsTheStandInWithTheHostPython() throws Exception {
        PipLayerResult result = lockAndInstall(installer(), runtime("1.0.1"), MTIME);

        Path root = temp.resolve("unpacked");
        Map<String, String> texts = TarEntries.texts(result.blob().path());
        for (Map.Entry<String, String> file : texts.entrySet()) {
            Path target = root.resolve(file.getKey());
            Files.createDirectories(target.getParent());
            Files.writeString(target, file.getValue());
        }
        ProcessBuilder command = new ProcessBuilder(
                        "python3",
                        root.resolve("usr/local/bin/molecule-runtime").toString())
                .redirectErrorStream(true);
        command.environment().put("PYTHONPATH", root.resolve(SITE).toString());
        Process script = command.start();

        assertThat(new String(script.getInputStream().readAllBytes())).isEqualTo("molecule-runtime stand-in 1.0.1\n");
        assertThat(script.waitFor()).isZero();
    }

    @Test
    void bumpingTheRuntimeVersionChangesTheKeyAndSameInputsHit() throws Exception {
        PipLayerResult first = lockAndInstall(installer(), runtime("1.0.0"), MTIME);
        PipLayerResult bumped = lockAndInstall(installer(), runtime("1.0.1"), MTIME);
        PipLayerResult again = lockAndInstall(installer(), runtime("1.0.1"), MTIME);

        assertThat(bumped.key()).isNotEqualTo(first.key());
        assertThat(bumped.cacheHit()).isFalse();
        assertThat(bumped.blob().digest()).isNotEqualTo(first.blob().digest());
        assertThat(TarEntries.texts(bumped.blob().path()))
                .containsKey(SITE + "molecule_ai_workspace_runtime-1.0.1.dist-info/METADATA");
        assertThat(again.cacheHit()).isTrue();
        assertThat(again.key()).isEqualTo(bumped.key());
        assertThat(again.blob()).isEqualTo(bumped.blob());
    }

    @Test
    void constraintFileHolds() throws Exception {
        Path requirements = Files.createDirectories(temp.resolve("project/python"));
        Files.writeString(requirements.resolve("pins.txt"), PipStandInWheels.PROJECT + "==1.0.0\n");

        PipLayerResult result = lockAndInstall(
                installer(),
                PipLayer.builder()
                        .requirement("-c " + requirements.resolve("pins.txt"))
                        .requirement(PipStandInWheels.PROJECT)
                        .noIndex(true)
                        .findLinks(wheelhouse)
                        .build(),
                MTIME);

        assertThat(result.cacheHit()).isFalse();
        assertThat(TarEntries.texts(result.blob().path()))
                .containsKey(SITE + "molecule_ai_workspace_runtime-1.0.0.dist-info/METADATA");
    }

    @Test
    void theSameLockedWheelsFromAnotherWheelhouseGiveTheSameLayer() throws Exception {
        Path otherWheelhouse = temp.resolve("other-wheelhouse");
        PipStandInWheels.write(otherWheelhouse, "1.0.0");

        PipLayerResult here = lockAndInstall(installer(), runtime("1.0.0"), MTIME);
        PipLayerResult there = lockAndInstall(
                installer(),
                PipLayer.builder()
                        .runtimeVersion("1.0.0")
                        .noIndex(true)
                        .findLinks(otherWheelhouse)
                        .build(),
                MTIME);

        assertThat(there.key()).isEqualTo(here.key());
        assertThat(there.cacheHit()).isTrue();
    }

    @Test
    void aNewerWheelInTheWheelhouseLeavesAPinnedLayerAsItIs() throws Exception {
        String before = lockAndInstall(installer(), runtime("1.0.0"), MTIME).key();
        PipStandInWheels.write(wheelhouse, "1.0.2");

        assertThat(lockAndInstall(installer(), runtime("1.0.0"), MTIME).key()).isEqualTo(before);
    }

    @Test
    void unknownRuntimeVersionNamesRequirementAndWheelhouseAndStoresNothing() throws Exception {
        assertThatThrownBy(() -> lockAndInstall(installer(), runtime("9.9.9"), MTIME))
                .isInstanceOf(PipException.class)
                .hasMessageContaining("molecule-ai-workspace-runtime==9.9.9")
                .hasMessageContaining("find-links " + wheelhouse.toAbsolutePath())
                .hasMessageContaining("<runtimeVersion>")
                .hasMessageContaining("these sources offer 1.0.0, 1.0.1")
                .hasMessageContaining("No matching distribution found");

        assertThat(filesUnder(temp.resolve("cache"))).isZero();
    }

    @Test
    void unreachableIndexSaysSoWithoutItsCredentials() throws Exception {
        PipLayer layer = PipLayer.builder()
                .runtimeVersion("9.9.9")
                .indexUrl("http://deploy:s3cret@127.0.0.1:9/simple")
                .findLinks(wheelhouse)
                .build();

        assertThatThrownBy(() -> lockAndInstall(installer(), layer, MTIME))
                .isInstanceOf(PipException.class)
                .hasMessageContaining("index http://***@127.0.0.1:9/simple")
                .hasMessageContaining("Check that the index is reachable")
                .hasMessageNotContaining("s3cret");
        assertThat(filesUnder(temp.resolve("cache"))).isZero();
    }

    @Test
    void twoCleanBuildsGiveByteIdenticalTars() throws Exception {
        PipLayerResult first = lockAndInstall(installer(), runtime("1.0.0"), MTIME);
        byte[] firstTar = Files.readAllBytes(first.blob().path());

        LayerCache otherCache = new LayerCache(temp.resolve("other-cache"), log);
        PipLayerResult second = lockAndInstall(new PipInstaller(otherCache, log, "python3"), runtime("1.0.0"), MTIME);

        assertThat(second.cacheHit()).isFalse();
        assertThat(second.key()).isEqualTo(first.key());
        assertThat(Files.readAllBytes(second.blob().path())).isEqualTo(firstTar);
    }

    private static long filesUnder(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).count();
        }
    }
}
