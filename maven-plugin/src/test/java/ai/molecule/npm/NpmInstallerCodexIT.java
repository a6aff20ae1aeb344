package ai.molecule.npm;

import static org.assertj.core.api.Assertions.assertThat;

import ai.molecule.core.LayerCache;
import ai.molecule.image.NpmLayer;
import ai.molecule.image.NpmPlatform;
import ai.molecule.testing.RecordingLog;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Codex ships its native binary in a per-platform optional package aliased to {@code
 * @openai/codex@<version>-<platform>}; its {@code bin/codex.js} picks the binary at run time.
 */
class NpmInstallerCodexIT {
    private static final int EM_X86_64 = 0x3E;
    private static final int EM_AARCH64 = 0xB7;

    @TempDir
    Path cacheRoot;

    private final RecordingLog log = new RecordingLog();

    @Test
    void codexLayerHoldsTheLinuxX64NativeBinaryAndNoOtherPlatform() throws Exception {
        NpmInstaller.Result result = install(NpmPlatform.LINUX_X64);

        assertThat(result.packages())
                .extracting(p -> p.name() + "@" + p.version())
                .containsExactly("@openai/codex@0.130.0", "@openai/codex@0.130.0-linux-x64");
        Layer layer = scan(result, "linux-x64", "x86_64-unknown-linux-musl");
        assertThat(layer.machine).as("ELF e_machine of the codex binary").isEqualTo(EM_X86_64);
        assertThat(layer.binLink)
                .as("/usr/local/bin/codex links to the package's codex.js")
                .isTrue();
        assertThat(layer.otherPlatforms)
                .as("entries of other platforms' packages")
                .isZero();
    }

    @Test
    void imagePlatformNotHostPlatformPicksTheNativePackage() throws Exception {
        NpmInstaller.Result x64 = install(NpmPlatform.LINUX_X64);
        NpmInstaller.Result arm64 = install(NpmPlatform.LINUX_ARM64);

        assertThat(arm64.key()).isNotEqualTo(x64.key());
        assertThat(arm64.packages())
                .extracting(p -> p.name() + "@" + p.version())
                .containsExactly("@openai/codex@0.130.0", "@openai/codex@0.130.0-linux-arm64");
        Layer layer = scan(arm64, "linux-arm64", "aarch64-unknown-linux-musl");
        assertThat(layer.machine).as("ELF e_machine of the codex binary").isEqualTo(EM_AARCH64);
        assertThat(layer.otherPlatforms)
                .as("entries of other platforms' packages")
                .isZero();
    }

    private NpmInstaller.Result install(NpmPlatform platform) throws Exception {
        NpmInstaller installer = new NpmInstaller(new LayerCache(cacheRoot, log), NpmInstallerIT.NPM_WORK, log);
        NpmInstaller.Result result = NpmInstallerIT.lockAndInstall(
                installer, NpmLayer.of("@openai/codex@0.130.0").withPlatform(platform), NpmInstallerIT.MTIME);
        log.infos.forEach(System.out::println);
        log.infos.clear();
        return result;
    }

    private record Layer(int machine, boolean binLink, int otherPlatforms) {}

    private static Layer scan(NpmInstaller.Result result, String platform, String triple) throws Exception {
        String binary = "usr/local/lib/node_modules/@openai/codex/node_modules/@openai/codex-" + platform + "/vendor/"
                + triple + "/codex/codex";
        int machine = -1;
        boolean binLink = false;
        int others = 0;
        try (TarArchiveInputStream tar =
                new TarArchiveInputStream(Files.newInputStream(result.blob().path()))) {
            for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
                String name = entry.getName();
                if (name.equals(binary)) {
                    assertThat(entry.getMode() & 0777).as(binary + " mode").isEqualTo(0755);
                    byte[] header = tar.readNBytes(20);
                    assertThat(header).as(binary).startsWith(0x7F, 'E', 'L', 'F');
                    // e_machine: two little-endian bytes at offset 18 of the ELF header.
                    machine = (header[18] & 0xFF) | (header[19] & 0xFF) << 8;
                } else if (name.equals("usr/local/bin/codex")) {
                    binLink = entry.isSymbolicLink()
                            && entry.getLinkName().equals("../lib/node_modules/@openai/codex/bin/codex.js");
                }
                if (name.matches(".*/@openai/codex-[a-z0-9-]+/.*") && !name.contains("/codex-" + platform + "/")) {
                    others++;
                }
            }
        }
        assertThat(machine).as("native binary " + binary + " in the layer").isNotEqualTo(-1);
        return new Layer(machine, binLink, others);
    }
}
