package ai.molecule.layers;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Codex ships its native binary in a per-platform optional package aliased to {@code @openai/codex@<v>-<platform>}. */
class NpmInstallerCodexTest {
    private static final String PLATFORM_PACKAGE =
            "usr/local/lib/node_modules/@openai/codex/node_modules/@openai/codex-linux-x64/";
    private static final String NATIVE_BINARY = PLATFORM_PACKAGE + "vendor/x86_64-unknown-linux-musl/codex/codex";

    @TempDir
    Path cacheRoot;

    private final RecordingLog log = new RecordingLog();

    @Test
    void codexLayerHoldsTheLinuxX64NativeBinaryAndOnlyThatPlatform() throws Exception {
        NpmInstaller installer = new NpmInstaller(new LayerCache(cacheRoot, log), NpmInstallerTest.NPM_WORK, log);

        NpmInstaller.Result result = installer.install(NpmLayer.of("@openai/codex@0.130.0"), NpmInstallerTest.MTIME);

        assertThat(result.packages())
                .extracting(p -> p.name() + "@" + p.version())
                .containsExactly("@openai/codex@0.130.0", "@openai/codex@0.130.0-linux-x64");
        byte[] header = null;
        boolean binLink = false;
        boolean otherPlatform = false;
        try (TarArchiveInputStream tar =
                new TarArchiveInputStream(Files.newInputStream(result.blob().path()))) {
            for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
                if (entry.getName().equals(NATIVE_BINARY)) {
                    assertThat(entry.getMode() & 0777).isEqualTo(0755);
                    header = tar.readNBytes(20);
                } else if (entry.getName().equals("usr/local/bin/codex")) {
                    binLink = entry.isSymbolicLink()
                            && entry.getLinkName().equals("../lib/node_modules/@openai/codex/bin/codex.js");
                }
                otherPlatform |= entry.getName().matches(".*/@openai/codex-(darwin|win32|linux-arm64).*");
            }
        }
        assertThat(header).as("native binary " + NATIVE_BINARY).isNotNull();
        assertThat(elfMachine(header)).as("ELF e_machine of the codex binary").isEqualTo(0x3E);
        assertThat(binLink)
                .as("/usr/local/bin/codex links to the package's codex.js")
                .isTrue();
        assertThat(otherPlatform).as("no other platform's package").isFalse();
        log.infos.forEach(System.out::println);
    }

    /** EM_X86_64 is 0x3E; the field sits at offset 18 of a little-endian ELF header. */
    private static int elfMachine(byte[] header) throws IOException {
        assertThat(header).startsWith(0x7F, 'E', 'L', 'F');
        return (header[18] & 0xFF) | (header[19] & 0xFF) << 8;
    }
}
