package ai.molecule.debian;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LockFileTest {
    private static final URI MAIN = URI.create("http://deb.debian.org/debian/");
    private static final URI SECURITY = URI.create("http://deb.debian.org/debian-security/");

    @TempDir
    Path dir;

    @Test
    void lockRoundTripsOnePackagePerLine() throws Exception {
        LockFile lock = new LockFile(
                inputs(List.of("sudo", "curl")),
                List.of(
                        new LockedPackage(
                                "sudo",
                                "1.9.13p3-1+deb12u2",
                                "amd64",
                                SECURITY,
                                "pool/updates/main/s/sudo/sudo.deb",
                                1890000,
                                "a".repeat(64)),
                        new LockedPackage(
                                "curl",
                                "7.88.1-10+deb12u14",
                                "amd64",
                                MAIN,
                                "pool/main/c/curl/curl.deb",
                                315000,
                                "b".repeat(64))));
        Path file = dir.resolve(LockFile.FILE_NAME);

        lock.write(file);

        assertThat(LockFile.read(file)).isEqualTo(lock);
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).filteredOn(l -> l.contains("\"sha256\"")).hasSize(2);
        assertThat(lines)
                .filteredOn(l -> l.contains("\"sha256\""))
                .first()
                .asString()
                .contains("\"name\":\"curl\"");
    }

    @Test
    void reorderedPackagesStillMatch() throws Exception {
        LockFile lock = new LockFile(inputs(List.of("sudo", "curl")), List.of());

        lock.requireInputs(inputs(List.of("curl", "sudo")), dir.resolve(LockFile.FILE_NAME));
    }

    @Test
    void changedPackageListTellsToRunLock() {
        LockFile lock = new LockFile(inputs(List.of("sudo", "curl")), List.of());
        Path file = dir.resolve(LockFile.FILE_NAME);

        assertThatThrownBy(() -> lock.requireInputs(inputs(List.of("sudo", "curl", "git")), file))
                .hasMessage(file + " was resolved for other Debian inputs than the POM now declares (<packages> added"
                        + " [git], removed []). Run `mvn molecule:lock` to refresh it, review the diff and commit it");
    }

    @Test
    void damagedLockIsRefusedWithTheFix() throws Exception {
        Path file = Files.writeString(
                dir.resolve(LockFile.FILE_NAME), "{\"format\": 1, \"packages\": [{\"name\": \"x\"}]}");

        assertThatThrownBy(() -> LockFile.read(file))
                .hasMessageContaining("is incomplete")
                .hasMessageEndingWith("Run `mvn molecule:lock` to write it again");
    }

    private static LockFile.Inputs inputs(List<String> packages) {
        return new LockFile.Inputs(
                "bookworm", "amd64", List.of("main"), MAIN, SECURITY, packages, List.of(), true, List.of());
    }
}
