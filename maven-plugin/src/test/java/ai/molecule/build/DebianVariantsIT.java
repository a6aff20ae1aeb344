package ai.molecule.build;

import static ai.molecule.build.EngineSupport.docker;
import static org.assertj.core.api.Assertions.assertThat;

import ai.molecule.core.LayerSpec;
import ai.molecule.debian.DebianLock;
import ai.molecule.debian.LockedPackage;
import ai.molecule.files.FileLayers;
import ai.molecule.files.PermissionRule;
import ai.molecule.image.Account;
import ai.molecule.image.BaseImage;
import ai.molecule.image.DebianSpec;
import ai.molecule.image.Group;
import ai.molecule.image.ImageSpec;
import ai.molecule.image.OsPackages;
import ai.molecule.lock.MoleculeLock;
import ai.molecule.testing.RecordingLog;
import ai.molecule.testing.TestCaches;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The other Debian shapes: trixie (current stable), and packages added on a Debian-based base. */
class DebianVariantsIT {
    private static final Instant CREATED = Instant.parse("2026-01-01T00:00:00Z");
    private static final Path CACHE = TestCaches.layers();

    @TempDir
    Path dir;

    private final EngineSupport.Images images = new EngineSupport.Images();
    private final RecordingLog log = new RecordingLog();

    @BeforeEach
    void engine() {
        EngineSupport.requireEngine();
    }

    @AfterEach
    void clean() {
        images.removeAll();
    }

    @Test
    void trixieImageRunsBashSudoAndDpkg() throws Exception {
        ImageSpec spec =
                spec("trixie", List.of("bash", "sudo", "curl", "ca-certificates"), new BaseImage.Scratch(), "t");
        String image = images.unique("trixie");

        DebianLock lock = lockAndBuild(spec, new DockerTarget(image));

        assertThat(lock.packages()).extracting(LockedPackage::name).contains("base-files", "libc6", "sudo");
        assertThat(run(image, "1000", "bash", "-c", "echo $BASH_VERSION")).startsWith("5.2");
        assertThat(run(image, "1000", "sudo", "-n", "id", "-u")).isEqualTo("0\n");
        assertThat(run(image, "1000", "readlink", "-f", "/bin/sh")).isEqualTo("/usr/bin/dash\n");
        assertThat(run(image, "1000", "dpkg-query", "-W", "-f", "${Status}", "curl"))
                .isEqualTo("install ok installed");
        assertThat(run(image, "1000", "cat", "/etc/debian_version")).startsWith("13.");
    }

    @Test
    void packagesOnADebianBaseAddOnlyTheMissingClosure() throws Exception {
        Path baseTar = dir.resolve("base.tar");
        DebianLock baseLock = lockAndBuild(
                spec("bookworm", List.of("bash", "sudo"), new BaseImage.Scratch(), "base"),
                new TarTarget("molecule-it/debian-base:1", baseTar));
        String image = images.unique("on-debian-base");

        DebianLock lock = lockAndBuild(
                spec("bookworm", List.of("curl"), new BaseImage.TarFile(baseTar), "top"), new DockerTarget(image));

        assertThat(lock.inputs().installed()).anySatisfy(p -> assertThat(p).startsWith("libc6="));
        assertThat(lock.packages())
                .extracting(LockedPackage::name)
                .contains("curl")
                .doesNotContain("libc6", "bash");
        assertThat(lock.packages().size()).isLessThan(baseLock.packages().size());
        assertThat(run(image, "1000", "curl", "--version")).startsWith("curl 7.88");
        assertThat(run(image, "1000", "sh", "-c", "dpkg-query -W sudo curl | cut -f1"))
                .isEqualTo("curl\nsudo\n");
        assertThat(run(image, "1000", "id", "-un")).isEqualTo("agent\n");
    }

    private ImageSpec spec(String suite, List<String> packages, BaseImage base, String name) throws Exception {
        Path files = Files.createDirectories(dir.resolve(name + "/etc/sudoers.d"));
        Files.writeString(files.resolve("agent-t4"), "agent ALL=(ALL) NOPASSWD:ALL\n");
        LayerSpec layer = FileLayers.scan(
                "image-files",
                dir.resolve(name),
                "/",
                List.of(),
                List.of(),
                List.of(new PermissionRule(
                        "/etc/sudoers.d/*", OptionalInt.of(0440), OptionalInt.of(0), OptionalInt.of(0))),
                Map.of());
        boolean onScratch = base instanceof BaseImage.Scratch;
        OsPackages os = new OsPackages(
                new DebianSpec(
                        DebianSpec.DEFAULT_ARCHIVE,
                        DebianSpec.DEFAULT_SECURITY_ARCHIVE,
                        suite,
                        List.of("main"),
                        "amd64",
                        packages,
                        List.of(),
                        onScratch,
                        List.of()),
                onScratch
                        ? List.of(new Account("agent", 1000, 1000, "/home/agent", "/bin/bash", List.of("docker")))
                        : List.of(),
                onScratch ? List.of(new Group("docker", 999)) : List.of(),
                List.of());
        return ImageSpec.builder()
                .base(base)
                .osPackages(os)
                .lockFile(dir.resolve(name + ".lock"))
                .addLayer(layer)
                .creationTime(CREATED)
                .build();
    }

    private DebianLock lockAndBuild(ImageSpec spec, Target target) throws Exception {
        ImageBuilder builder = new ImageBuilder(CACHE, log);
        MoleculeLock lock = builder.lock(spec, RegistryAccess.ANONYMOUS, dir.resolve("out"));
        lock.write(spec.lockFile());
        builder.build(spec, target, dir.resolve("out"));
        return lock.debian();
    }

    private static String run(String image, String user, String... command) {
        List<String> args =
                new java.util.ArrayList<>(List.of("run", "--rm", "-u", user, "--entrypoint", command[0], image));
        args.addAll(List.of(command).subList(1, command.length));
        return docker(args.toArray(String[]::new)).ok();
    }
}
