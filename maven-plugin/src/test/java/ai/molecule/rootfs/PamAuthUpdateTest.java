package ai.molecule.rootfs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The /etc/pam.d/common-* files and /var/lib/pam state compared byte for byte with what the real
 * {@code pam-auth-update --package} wrote in a bookworm container (the files under
 * {@code pam/expected-*}), for libpam-runtime 1.5.2-6's templates and profiles.
 */
class PamAuthUpdateTest {
    private static final List<String> TYPES =
            List.of("auth", "account", "password", "session", "session-noninteractive");

    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({"expected-unix, false", "expected-unix-systemd, true"})
    void commonFilesMatchWhatPamAuthUpdateWrites(String expected, boolean withSystemd) throws Exception {
        TestDeb runtime = TestDeb.named("libpam-runtime");
        for (String type : TYPES) {
            runtime.file("/usr/share/pam/common-" + type, resource("templates/common-" + type), 0644);
        }
        TestDeb modules = TestDeb.named("libpam-modules")
                .file("/usr/share/pam-configs/mkhomedir", resource("profiles/mkhomedir"), 0644);
        runtime.file("/usr/share/pam-configs/unix", resource("profiles/unix"), 0644);
        List<Path> debs = new ArrayList<>(List.of(
                TestDeb.named("base-passwd")
                        .file("/usr/share/base-passwd/passwd.master", RootfsAssemblerTest.PASSWD_MASTER, 0644)
                        .file("/usr/share/base-passwd/group.master", RootfsAssemblerTest.GROUP_MASTER, 0644)
                        .build(dir),
                runtime.build(dir),
                modules.build(dir)));
        if (withSystemd) {
            debs.add(TestDeb.named("libpam-systemd")
                    .file("/usr/share/pam-configs/systemd", resource("profiles/systemd"), 0644)
                    .build(dir));
        }

        Layer layer = Layer.assemble(RootfsAssembler.builder().packages(debs).build());

        for (String type : TYPES) {
            assertThat(layer.text("/etc/pam.d/common-" + type))
                    .as("common-" + type)
                    .isEqualTo(resource(expected + "/common-" + type));
            assertThat(layer.text("/var/lib/pam/" + type))
                    .as("/var/lib/pam/" + type)
                    .isEqualTo(resource(expected + "/state-" + type));
        }
        if (withSystemd) {
            assertThat(layer.text("/var/lib/pam/seen")).isEqualTo(resource(expected + "/seen"));
        }
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = PamAuthUpdateTest.class.getResourceAsStream("pam/" + name)) {
            if (in == null) {
                throw new IOException("test resource pam/" + name + " is missing");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
