package ai.molecule.npm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.molecule.core.LayerCache;
import ai.molecule.core.MoleculeException;
import ai.molecule.image.NpmLayer;
import ai.molecule.image.NpmPlatform;
import ai.molecule.testing.LocalNpmRegistry;
import ai.molecule.testing.RecordingLog;
import ai.molecule.testing.TarEntries;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the host's npm against the real registry; npm's downloads are kept in target/npm-test-cache. */
class NpmInstallerIT {
    static final Path NPM_WORK = Path.of("target", "npm-test-work").toAbsolutePath();
    static final Instant MTIME = LocalNpmRegistry.MTIME;

    @TempDir
    Path cacheRoot;

    private final RecordingLog log = new RecordingLog();

    private NpmInstaller installer(Path root) throws IOException {
        return new NpmInstaller(new LayerCache(root, log), NPM_WORK, log);
    }

    @Test
    void installsPackageFilesAndKeepsBinLinkAsRelativeSymlink() throws Exception {
        NpmInstaller.Result result = lockAndInstall(installer(cacheRoot), NpmLayer.of("semver@7.6.3"), MTIME);

        Map<String, TarArchiveEntry> entries = TarEntries.read(result.blob().path());
        assertThat(entries).containsKeys("usr/", "usr/local/", "usr/local/lib/node_modules/semver/package.json");
        TarArchiveEntry bin = entries.get("usr/local/bin/semver");
        assertThat(bin.isSymbolicLink()).isTrue();
        assertThat(bin.getLinkName()).isEqualTo("../lib/node_modules/semver/bin/semver.js");
        assertThat(entries.get("usr/local/lib/node_modules/semver/bin/semver.js")
                                .getMode()
                        & 0777)
                .isEqualTo(0755);
        assertThat(result.hit()).isFalse();
        assertThat(result.packages()).singleElement().satisfies(p -> {
            assertThat(p.name()).isEqualTo("semver");
            assertThat(p.version()).isEqualTo("7.6.3");
            assertThat(p.integrity()).startsWith("sha512-");
        });
    }

    @Test
    void sameInputsHitWithoutRunningNpmInstall() throws Exception {
        NpmInstaller installer = installer(cacheRoot);
        NpmInstaller.Result first = lockAndInstall(installer, NpmLayer.of("semver@7.6.3"), MTIME);
        log.infos.clear();

        NpmInstaller.Result second = lockAndInstall(installer, NpmLayer.of("semver@7.6.3"), MTIME);

        assertThat(second.hit()).isTrue();
        assertThat(second.key()).isEqualTo(first.key());
        assertThat(second.blob()).isEqualTo(first.blob());
        assertThat(log.infos).noneMatch(line -> line.contains("running npm install"));
        assertThat(workDirectoriesLeft()).isZero();
    }

    @Test
    void offlineBuildUsesNpmsCacheOnlyAndNamesTheCauseWhenAPackageIsNotThere() throws Exception {
        NpmInstaller.Result online = lockAndInstall(installer(cacheRoot), NpmLayer.of("semver@7.6.3"), MTIME);
        NpmInstaller offline = new NpmInstaller(new LayerCache(cacheRoot.resolve("offline"), log), NPM_WORK, log, true);

        NpmInstaller.Result fromCache = lockAndInstall(offline, NpmLayer.of("semver@7.6.3"), MTIME);

        assertThat(fromCache.hit()).isFalse();
        assertThat(fromCache.key()).isEqualTo(online.key());
        assertThat(fromCache.blob().digest()).isEqualTo(online.blob().digest());
        assertThatThrownBy(() -> lockAndInstall(offline, NpmLayer.of("is-number@3.0.0"), MTIME))
                .hasMessageContaining("is-number@3.0.0")
                .hasMessageContaining("Maven is offline (-o)");
    }

    @Test
    void changedVersionGivesNewKeyAndMisses() throws Exception {
        NpmInstaller installer = installer(cacheRoot);
        NpmInstaller.Result old = lockAndInstall(installer, NpmLayer.of("semver@7.6.3"), MTIME);

        NpmInstaller.Result changed = lockAndInstall(installer, NpmLayer.of("semver@7.6.2"), MTIME);

        assertThat(changed.hit()).isFalse();
        assertThat(changed.key()).isNotEqualTo(old.key());
        assertThat(TarEntries.texts(changed.blob().path()).get("usr/local/lib/node_modules/semver/package.json"))
                .contains("\"version\": \"7.6.2\"");
    }

    @Test
    void changedRegistryGivesNewKey() throws Exception {
        NpmInstaller installer = installer(cacheRoot);
        NpmInstaller.Result npmjs = lockAndInstall(installer, NpmLayer.of("semver@7.6.3"), MTIME);

        NpmInstaller.Result yarnpkg = lockAndInstall(
                installer, NpmLayer.of("semver@7.6.3").withRegistry("https://registry.yarnpkg.com/"), MTIME);

        assertThat(yarnpkg.hit()).isFalse();
        assertThat(yarnpkg.key()).isNotEqualTo(npmjs.key());
        assertThat(yarnpkg.packages())
                .extracting(NpmPackage::resolved)
                .containsExactly("https://registry.yarnpkg.com/semver/-/semver-7.6.3.tgz");
    }

    @Test
    void rangeResolvesToExactVersionBeforeTheKeyIsComputed() throws Exception {
        NpmInstaller.Result result = lockAndInstall(installer(cacheRoot), NpmLayer.of("semver@~7.6.0"), MTIME);

        assertThat(result.packages())
                .singleElement()
                .satisfies(p -> assertThat(p.version()).isEqualTo("7.6.3"));
    }

    @Test
    void unknownVersionFailsNamingSpecAndRegistryAndStoresNothing() throws Exception {
        NpmInstaller installer = installer(cacheRoot);

        assertThatThrownBy(() -> lockAndInstall(installer, NpmLayer.of("semver@99.0.0"), MTIME))
                .isInstanceOf(MoleculeException.class)
                .hasMessageContaining("semver@99.0.0")
                .hasMessageContaining("https://registry.npmjs.org/")
                .hasMessageContaining("No matching version")
                .hasMessageContaining("npm view <spec> version");
        assertThat(storedKeys()).isZero();
    }

    @Test
    void unknownPackageFailsNamingSpecAndStoresNothing() throws Exception {
        NpmInstaller installer = installer(cacheRoot);

        assertThatThrownBy(() -> lockAndInstall(installer, NpmLayer.of("molecule-no-such-package-4f1c9e@1.0.0"), MTIME))
                .isInstanceOf(MoleculeException.class)
                .hasMessageContaining("molecule-no-such-package-4f1c9e@1.0.0")
                .hasMessageContaining("404");
        assertThat(storedKeys()).isZero();
    }

    @Test
    void unreachableRegistryFailsNamingRegistryAndStoresNothing() throws Exception {
        NpmInstaller installer = installer(cacheRoot);

        assertThatThrownBy(() -> lockAndInstall(
                        installer, NpmLayer.of("semver@7.6.3").withRegistry("http://127.0.0.1:9/"), MTIME))
                .isInstanceOf(MoleculeException.class)
                .hasMessageContaining("semver@7.6.3")
                .hasMessageContaining("http://127.0.0.1:9/")
                .hasMessageContaining("reachable");
        assertThat(storedKeys()).isZero();
    }

    @Test
    void installScriptRunForAnotherPlatformIsWarnedAbout() throws Exception {
        NpmPlatform ppc64 = new NpmPlatform("linux", "ppc64", "glibc");

        lockAndInstall(installer(cacheRoot), NpmLayer.of("core-js@3.37.1").withPlatform(ppc64), MTIME);

        assertThat(log.warnings)
                .singleElement()
                .asString()
                .contains("[core-js]", "install scripts", "linux/ppc64/glibc");
    }

    @Test
    void packageWithoutInstallScriptsIsNotWarnedAbout() throws Exception {
        lockAndInstall(
                installer(cacheRoot),
                NpmLayer.of("semver@7.6.3").withPlatform(new NpmPlatform("linux", "ppc64", "glibc")),
                MTIME);

        assertThat(log.warnings).isEmpty();
    }

    @Test
    void twoCleanBuildsGiveByteIdenticalLayers(@TempDir Path otherCacheRoot) throws Exception {
        NpmInstaller.Result one = lockAndInstall(installer(cacheRoot), NpmLayer.of("semver@7.6.3"), MTIME);
        NpmInstaller.Result two = lockAndInstall(installer(otherCacheRoot), NpmLayer.of("semver@7.6.3"), MTIME);

        assertThat(two.hit()).isFalse();
        assertThat(two.blob().digest()).isEqualTo(one.blob().digest());
        assertThat(Files.mismatch(one.blob().path(), two.blob().path())).isEqualTo(-1L);
    }

    private long storedKeys() throws IOException {
        try (Stream<Path> keys = Files.list(cacheRoot.resolve("keys"))) {
            return keys.count();
        }
    }

    private static long workDirectoriesLeft() throws IOException {
        try (Stream<Path> files = Files.list(NPM_WORK)) {
            return files.filter(p -> p.getFileName().toString().startsWith("npm-layer-"))
                    .count();
        }
    }

    /** Locks from scratch, then builds the layer from that lock, as `molecule:lock` and `build-image` do. */
    static NpmInstaller.Result lockAndInstall(NpmInstaller installer, NpmLayer layer, Instant mtime) throws Exception {
        return installer.install(layer, installer.lock(layer, null, Set.of()), mtime);
    }
}
