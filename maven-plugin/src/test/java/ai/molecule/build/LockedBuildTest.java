package ai.molecule.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import ai.molecule.core.CacheOutcome;
import ai.molecule.core.LayerCache;
import ai.molecule.core.MoleculeException;
import ai.molecule.core.UrlLogins;
import ai.molecule.image.ImageSpec;
import ai.molecule.image.NpmLayer;
import ai.molecule.image.PipLayer;
import ai.molecule.lock.LockChanges;
import ai.molecule.lock.LockRequest;
import ai.molecule.lock.MoleculeLock;
import ai.molecule.pip.PipException;
import ai.molecule.sbom.Component;
import ai.molecule.testing.LocalNpmRegistry;
import ai.molecule.testing.LocalPipIndex;
import ai.molecule.testing.PipStandInWheels;
import ai.molecule.testing.RecordingLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Same POM + lock ⇒ same image, later and elsewhere: an npm registry and a PEP 503 index on
 * 127.0.0.1 publish newer versions of what the lock holds, and a build from the lock, in a cache of
 * its own, still yields the same image ID; only {@code molecule:lock} with an update takes them. A
 * tampered artifact of either ecosystem is refused and nothing is cached.
 */
class LockedBuildTest {
    private static final String CLI = "molecule-cli-standin";
    private static final String WHEEL_100 = "molecule_ai_workspace_runtime-1.0.0-py3-none-any.whl";

    @TempDir
    Path tmp;

    private final RecordingLog log = new RecordingLog();
    private LocalNpmRegistry registry;
    private LocalPipIndex index;
    private Path wheels;

    @BeforeEach
    void registryAndIndexWithOneVersionEach() throws Exception {
        registry = LocalNpmRegistry.serving(CLI);
        wheels = Files.createDirectories(tmp.resolve("index"));
        PipStandInWheels.write(wheels, "1.0.0");
        index = LocalPipIndex.serving(wheels);
    }

    @AfterEach
    void stop() {
        registry.close();
        index.close();
    }

    @Test
    void newerPublishedVersionsChangeNothingUntilAnUpdateAsksForThem() throws Exception {
        ImageSpec spec = spec();
        MoleculeLock first = lock(spec, null, LockRequest.KEEP);
        String imageId = build(spec, "cache-1").imageId();

        registry.publish("1.1.0");
        PipStandInWheels.write(wheels, "1.0.1");

        BuildResult later = build(spec, "cache-2");
        assertThat(later.imageId()).isEqualTo(imageId);
        assertThat(later.layers()).extracting(BuildResult.LayerReport::cache).doesNotContain(CacheOutcome.HIT);
        assertThat(later.sbom())
                .extracting(Component::name, Component::version)
                .containsExactly(tuple(CLI, "1.0.0"), tuple(PipStandInWheels.PROJECT, "1.0.0"));
        // The SBOM is the lock's: the same hashes.
        assertThat(later.sbom().get(0).integrity()).isEqualTo(registry.integrity("1.0.0"));
        assertThat(later.sbom().get(1).sha256())
                .isEqualTo(first.pip().pins().get(0).sha256());
        // The wheel's licence, read from its METADATA in the layer.
        assertThat(later.sbom().get(1).license()).isEqualTo(PipStandInWheels.LICENSE);
        assertThat(build(spec, "cache-2").sbom()).isEqualTo(later.sbom());

        MoleculeLock kept = lock(spec, first, LockRequest.KEEP);
        assertThat(kept).isEqualTo(first);
        assertThat(LockChanges.between(first, kept))
                .containsExactly("npm: unchanged (1 packages)", "pip: unchanged (1 packages)");

        MoleculeLock npmUpdated = lock(spec, kept, new LockRequest(false, Set.of(CLI)));
        assertThat(npmUpdated.pip()).isEqualTo(first.pip());
        assertThat(LockChanges.between(kept, npmUpdated))
                .containsExactly(
                        "npm: 0 added, 0 removed, 1 changed (1 packages)",
                        "  ~ " + CLI + " 1.0.0 → 1.1.0",
                        "pip: unchanged (1 packages)");

        MoleculeLock upgraded = lock(spec, npmUpdated, new LockRequest(true, Set.of()));
        assertThat(upgraded.pip().versions()).containsEntry(PipStandInWheels.PROJECT, "1.0.1");
        BuildResult newer = build(spec, "cache-1");
        assertThat(newer.imageId()).isNotEqualTo(imageId);
    }

    @Test
    void theLockRecordsEveryComponentWithItsSourceAndHashAndTheInputs() throws Exception {
        MoleculeLock lock = lock(spec(), null, LockRequest.KEEP);

        assertThat(lock.npm().inputs().specs()).containsExactly(CLI);
        assertThat(lock.npm().inputs().registry()).isEqualTo(registry.url());
        assertThat(lock.npm().installedOn(spec().npm().platform()))
                .singleElement()
                .satisfies(p -> {
                    assertThat(p.version()).isEqualTo("1.0.0");
                    assertThat(p.resolved()).isEqualTo(registry.url() + CLI + "/-/" + CLI + "-1.0.0.tgz");
                    assertThat(p.integrity()).isEqualTo(registry.integrity("1.0.0"));
                });
        assertThat(lock.pip().inputs().index()).isEqualTo(UrlLogins.redact(index.url()));
        assertThat(lock.pip().inputs().requirements()).containsExactly(PipStandInWheels.PROJECT);
        assertThat(lock.pip().pins()).singleElement().satisfies(pin -> {
            assertThat(pin.version()).isEqualTo("1.0.0");
            assertThat(pin.file()).isEqualTo(WHEEL_100);
            assertThat(pin.url()).startsWith("http://127.0.0.1:").endsWith("/files/" + WHEEL_100);
            assertThat(pin.sha256()).isEqualTo(LayerCache.sha256(wheels.resolve(WHEEL_100)));
        });
        assertThat(Files.readString(spec().lockFile())).contains("\"format\": 2");
    }

    @Test
    void aTamperedNpmTarballIsRefusedNamingPackageAndBothIntegritiesAndNothingIsCached() throws Exception {
        ImageSpec spec = spec();
        lock(spec, null, LockRequest.KEEP);
        registry.tamper("1.0.0");

        assertThatThrownBy(() -> build(spec, "cache-tampered"))
                .isInstanceOf(MoleculeException.class)
                .hasMessageContaining("npm refused " + CLI + " 1.0.0")
                .hasMessageContaining("the lock expects " + registry.integrity("1.0.0"))
                .hasMessageContaining("its integrity is " + registry.servedIntegrity("1.0.0"));
        assertNothingStored("cache-tampered");
    }

    @Test
    void aWithdrawnNpmVersionNamesPackageVersionAndTheFix() throws Exception {
        ImageSpec spec = spec();
        lock(spec, null, LockRequest.KEEP);
        registry.withdraw("1.0.0");

        assertThatThrownBy(() -> build(spec, "cache-withdrawn"))
                .isInstanceOf(MoleculeException.class)
                .hasMessageContaining("The lock names " + CLI + " 1.0.0")
                .hasMessageContaining("no longer serves it")
                .hasMessageContaining("-Dmolecule.lock.update=" + CLI);
        assertNothingStored("cache-withdrawn");
    }

    @Test
    void aTamperedWheelOnTheIndexIsRefusedNamingPackageAndBothHashesAndNothingIsCached() throws Exception {
        ImageSpec spec = spec();
        MoleculeLock lock = lock(spec, null, LockRequest.KEEP);
        // The index now serves other bytes under the locked file's name.
        Path other = PipStandInWheels.write(Files.createDirectories(tmp.resolve("other")), "1.0.1");
        Files.copy(other, wheels.resolve(WHEEL_100), StandardCopyOption.REPLACE_EXISTING);

        assertThatThrownBy(() -> build(spec, "cache-tampered"))
                .isInstanceOf(PipException.class)
                .hasMessageContaining("pip refused " + PipStandInWheels.PROJECT + " 1.0.0")
                .hasMessageContaining(
                        "the lock expects " + lock.pip().pins().get(0).sha256())
                .hasMessageContaining("its SHA-256 is " + LayerCache.sha256(wheels.resolve(WHEEL_100)));
        assertNothingStoredBut("cache-tampered", "npm");
    }

    @Test
    void aLockUpdateNamingNothingTheLockHoldsIsRefused() throws Exception {
        ImageSpec spec = spec();
        MoleculeLock first = lock(spec, null, LockRequest.KEEP);

        assertThatThrownBy(() -> lock(spec, first, new LockRequest(false, Set.of("no-such-package"))))
                .isInstanceOf(MoleculeException.class)
                .hasMessageContaining("-Dmolecule.lock.update names [no-such-package]");
    }

    private ImageSpec spec() {
        return ImageSpec.builder()
                .npm(NpmLayer.of(CLI).withRegistry(registry.url()))
                .pip(PipLayer.builder()
                        .requirement(PipStandInWheels.PROJECT)
                        .indexUrl(index.url())
                        .build())
                .lockFile(tmp.resolve(MoleculeLock.FILE_NAME))
                .creationTime(Instant.parse("2026-01-01T00:00:00Z"))
                .build();
    }

    private MoleculeLock lock(ImageSpec spec, MoleculeLock previous, LockRequest request) throws Exception {
        MoleculeLock lock = new ImageBuilder(tmp.resolve("cache-lock"), log)
                .lock(spec, RegistryAccess.ANONYMOUS, tmp.resolve("lock-work"), previous, request);
        lock.write(spec.lockFile());
        return lock;
    }

    private BuildResult build(ImageSpec spec, String cache) throws Exception {
        Path out = tmp.resolve("out-" + cache);
        return new ImageBuilder(tmp.resolve(cache), log)
                .build(spec, new TarTarget("molecule-test/locked:1", out.resolve("image.tar")), out);
    }

    private void assertNothingStored(String cache) throws Exception {
        assertNothingStoredBut(cache, null);
    }

    /** No layer key in {@code cache} but the one of {@code step} (a layer below the refused one), and no image. */
    private void assertNothingStoredBut(String cache, String step) throws Exception {
        Path keys = tmp.resolve(cache).resolve("keys");
        long stored;
        try (Stream<Path> files = Files.exists(keys) ? Files.list(keys) : Stream.empty()) {
            stored = files.count();
        }
        assertThat(stored).isEqualTo(step == null ? 0 : 1);
        assertThat(tmp.resolve("out-" + cache).resolve("image.tar")).doesNotExist();
    }
}
