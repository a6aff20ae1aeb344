package ai.molecule.debian;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.molecule.core.Json;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DebianLockTest {
    private static final URI MAIN = URI.create("http://deb.debian.org/debian/");
    private static final URI SECURITY = URI.create("http://deb.debian.org/debian-security/");

    @TempDir
    Path dir;

    @Test
    void reorderedPackagesStillMatch() throws Exception {
        DebianLock lock = new DebianLock(inputs(List.of("sudo", "curl")), List.of());

        lock.requireInputs(inputs(List.of("curl", "sudo")), dir.resolve("molecule.lock"));
    }

    @Test
    void changedPackageListTellsToRunLock() {
        DebianLock lock = new DebianLock(inputs(List.of("sudo", "curl")), List.of());
        Path file = dir.resolve("molecule.lock");

        assertThatThrownBy(() -> lock.requireInputs(inputs(List.of("sudo", "curl", "git")), file))
                .hasMessage(
                        file + " was locked for other Debian inputs than the POM now declares (<packages> added"
                                + " [git], removed []). Run `mvn molecule:lock` to re-lock them, review the diff and commit it");
    }

    @Test
    void whatTheWorkspaceAddedIsWrittenReadBackAndChecked() throws Exception {
        DebianLock.Inputs added = new DebianLock.Inputs(
                "bookworm",
                "amd64",
                List.of("main"),
                MAIN,
                SECURITY,
                List.of("python3", "gosu", "bash"),
                List.of(),
                true,
                List.of(),
                List.of("gosu", "bash"));
        DebianLock lock = new DebianLock(added, List.of());
        Path file = dir.resolve("molecule.lock");

        assertThat(lock.inputsJson().path("addedByWorkspace").toString()).isEqualTo("[\"bash\",\"gosu\"]");
        ObjectNode section = Json.object();
        section.set("inputs", lock.inputsJson());
        assertThat(DebianLock.fromJson(section, file).inputs()).isEqualTo(added);
        assertThat(new DebianLock(inputs(List.of("curl")), List.of())
                        .inputsJson()
                        .has("addedByWorkspace"))
                .isFalse();
        // The same packages, listed by the template itself now: a re-lock records that.
        assertThatThrownBy(() -> lock.requireInputs(inputs(List.of("python3", "gosu", "bash")), file))
                .hasMessageContaining("(packages added by <workspace> added [], removed [bash, gosu])");
    }

    private static DebianLock.Inputs inputs(List<String> packages) {
        return new DebianLock.Inputs(
                "bookworm", "amd64", List.of("main"), MAIN, SECURITY, packages, List.of(), true, List.of(), List.of());
    }
}
