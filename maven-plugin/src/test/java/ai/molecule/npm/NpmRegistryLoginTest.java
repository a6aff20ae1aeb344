package ai.molecule.npm;

import static ai.molecule.testing.LocalNpmRegistry.MTIME;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.molecule.core.LayerCache;
import ai.molecule.core.MoleculeException;
import ai.molecule.image.NpmLayer;
import ai.molecule.testing.LocalNpmRegistry;
import ai.molecule.testing.RecordingLog;
import ai.molecule.testing.TarEntries;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The layer's registry login, against a registry on 127.0.0.1 that answers only with it. */
class NpmRegistryLoginTest {
    private static final String PACKAGE = "molecule-login-test";
    private static final String PASSWORD = "npm-test-s3cret";

    @TempDir
    Path temp;

    private final RecordingLog log = new RecordingLog();
    private LocalNpmRegistry registry;

    @BeforeEach
    void registryThatWantsALogin() throws Exception {
        registry = LocalNpmRegistry.requiringLogin(PACKAGE, List.of("ci:" + PASSWORD, "other:rotated-" + PASSWORD));
    }

    @AfterEach
    void stop() {
        registry.close();
    }

    @Test
    void loginReachesTheRegistryButNeitherTheLayerNorTheLog() throws Exception {
        NpmLayer layer = NpmLayer.of(registry.spec())
                .withRegistry(registry.url())
                .withCredential(new NpmLayer.Credential("ci", PASSWORD));

        NpmInstaller.Result result = lockAndInstall(installer(), layer, MTIME);

        assertThat(TarEntries.texts(result.blob().path()))
                .containsKey("usr/local/lib/node_modules/" + PACKAGE + "/package.json")
                .allSatisfy((name, text) -> assertThat(text).doesNotContain(PASSWORD));
        assertThat(Files.readString(result.blob().path(), StandardCharsets.ISO_8859_1))
                .doesNotContain(PASSWORD)
                .doesNotContain(
                        Base64.getEncoder().encodeToString(("ci:" + PASSWORD).getBytes(StandardCharsets.UTF_8)));
        assertThat(log.infos).noneMatch(line -> line.contains(PASSWORD));
        NpmLayer rotated = layer.withCredential(new NpmLayer.Credential("other", "rotated-" + PASSWORD));
        assertThat(lockAndInstall(installer(), rotated, MTIME).key()).isEqualTo(result.key());
    }

    @Test
    void withoutTheLoginTheRegistryRefusesAndNothingIsStored() throws Exception {
        NpmLayer layer = NpmLayer.of(registry.spec()).withRegistry(registry.url());

        assertThatThrownBy(() -> lockAndInstall(installer(), layer, MTIME))
                .isInstanceOf(MoleculeException.class)
                .hasMessageContaining(registry.spec())
                .hasMessageContaining(registry.url());
        assertThat(registry.refusals()).isNotEmpty();
        assertThat(temp.resolve("cache/keys")).isEmptyDirectory();
    }

    private NpmInstaller installer() throws IOException {
        return new NpmInstaller(new LayerCache(temp.resolve("cache"), log), temp.resolve("npm-work"), log);
    }

    /** Locks from scratch, then builds the layer from that lock, as `molecule:lock` and `build-image` do. */
    static NpmInstaller.Result lockAndInstall(NpmInstaller installer, NpmLayer layer, Instant mtime) throws Exception {
        return installer.install(layer, installer.lock(layer, null, Set.of()), mtime);
    }
}
