package ai.molecule.rootfs;

import static ai.molecule.build.EngineSupport.docker;
import static org.assertj.core.api.Assertions.assertThat;

import ai.molecule.build.EngineSupport;
import ai.molecule.build.EngineSupport.Exec;
import ai.molecule.core.LayerEntry;
import ai.molecule.core.LayerSpec;
import ai.molecule.core.LayerTarWriter;
import ai.molecule.image.Account;
import ai.molecule.image.Group;
import ai.molecule.testing.RecordingLog;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A real bookworm package set assembled into one layer, loaded into a real engine and used there:
 * the shells, awk through alternatives, the agent account and its sudo, modes, the dpkg database
 * and apt — and Debian's own tools (pam-auth-update, update-ca-certificates, update-shells,
 * dpkg --verify) agreeing with what the assembler wrote in their place.
 */
class BookwormRootfsIT {
    private static final Path WORK = Path.of("target", "rootfs-it");
    private static final String IMAGE =
            "molecule-it/rootfs-" + UUID.randomUUID().toString().substring(0, 8) + ":1";
    private static final Instant MTIME = Instant.EPOCH.plusSeconds(1);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static List<Path> debs;
    private static Path layer;
    private static long assemblyMillis;
    private static RootfsAssembler.Result result;

    @BeforeAll
    static void assembleAndLoad() throws Exception {
        EngineSupport.requireEngine();
        debs = BookwormSet.download(WORK.resolve("apt").toAbsolutePath());
        layer = WORK.resolve("rootfs.tar");
        long start = System.nanoTime();
        result = assemble(layer);
        assemblyMillis = (System.nanoTime() - start) / 1_000_000;
        System.out.printf(
                "Assembled %d bookworm packages into %d entries, %d MiB, in %d ms%n",
                debs.size(), result.entries(), Files.size(layer) >> 20, assemblyMillis);

        Path sudoers = Files.writeString(WORK.resolve("agent-sudoers"), "agent ALL=(ALL) NOPASSWD:ALL\n");
        Path sudoersLayer = WORK.resolve("sudoers.tar");
        try (OutputStream out = Files.newOutputStream(sudoersLayer)) {
            LayerTarWriter.write(
                    new LayerSpec(
                            "sudoers",
                            List.of(
                                    LayerEntry.directory("/etc", 0755, 0, 0),
                                    LayerEntry.directory("/etc/sudoers.d", 0755, 0, 0),
                                    LayerEntry.file("/etc/sudoers.d/agent", sudoers, 0440, 0, 0)),
                            new TreeMap<>()),
                    MTIME,
                    out);
        }
        Path image = WORK.resolve("image.tar");
        writeDockerSave(image, List.of(layer, sudoersLayer));
        docker("load", "-i", image.toString()).ok();
    }

    @AfterAll
    static void removeImage() {
        docker("rmi", "-f", IMAGE);
    }

    private static RootfsAssembler.Result assemble(Path target) throws Exception {
        try (OutputStream out = Files.newOutputStream(target)) {
            return RootfsAssembler.builder()
                    .packages(debs)
                    .mtime(MTIME)
                    .groups(List.of(new Group("docker", 999)))
                    .accounts(List.of(new Account("agent", 1000, 1000, "/home/agent", "/bin/bash", List.of("docker"))))
                    .aptSources(new AptSources(
                            URI.create("http://deb.debian.org/debian/"),
                            URI.create("http://deb.debian.org/debian-security/"),
                            "bookworm",
                            List.of("main")))
                    .log(new RecordingLog())
                    .build()
                    .assemble(out);
        }
    }

    @Test
    void shellsRunAndBinShIsDash() {
        assertThat(run("sh", "-c", "echo ok")).isEqualTo("ok\n");
        assertThat(run("bash", "--version")).startsWith("GNU bash, version 5.2");
        assertThat(run("readlink", "/bin/sh")).isEqualTo("dash\n");
        assertThat(run("readlink", "/bin")).isEqualTo("usr/bin\n");
    }

    @Test
    void awkIsMawkThroughAlternatives() {
        assertThat(run("awk", "BEGIN{print 1+1}")).isEqualTo("2\n");
        assertThat(run("update-alternatives", "--display", "awk"))
                .contains("awk - auto mode", "link currently points to /usr/bin/mawk", "slave nawk is /usr/bin/nawk");
    }

    @Test
    void agentIsUid1000InGroupDockerAndUsesSudoWithoutPassword() {
        assertThat(run("id", "agent")).isEqualTo("uid=1000(agent) gid=1000(agent) groups=1000(agent),999(docker)\n");
        Exec sudo = docker("run", "--rm", "-u", "1000", IMAGE, "sudo", "-n", "id", "-u");
        assertThat(sudo.exit()).as("sudo -n as uid 1000: %s", sudo.stderr()).isZero();
        assertThat(sudo.stdout()).isEqualTo("0\n");
        assertThat(run("visudo", "-c")).contains("/etc/sudoers: parsed OK", "/etc/sudoers.d/agent: parsed OK");
        assertThat(run("stat", "-c", "%a %U:%G", "/home/agent", "/home/agent/.bashrc"))
                .isEqualTo("755 agent:agent\n644 agent:agent\n");
    }

    @Test
    void modesThatSecurityDependsOnSurvive() {
        assertThat(run("stat", "-c", "%a %U:%G %n", "/usr/bin/sudo", "/tmp", "/var/tmp", "/root", "/etc/shadow"))
                .isEqualTo("""
                        4755 root:root /usr/bin/sudo
                        1777 root:root /tmp
                        1777 root:root /var/tmp
                        700 root:root /root
                        640 root:shadow /etc/shadow
                        """);
    }

    @Test
    void dpkgSeesEveryPackageInstalledAndUnchanged() {
        assertThat(run("dpkg", "-l", "bash")).containsPattern("(?m)^ii  bash ");
        assertThat(run("dpkg", "-S", "/usr/bin/sudo")).isEqualTo("sudo: /usr/bin/sudo\n");
        assertThat(run("sh", "-c", "dpkg-query -W -f '${Status}\\n' | sort | uniq -c")
                        .strip())
                .isEqualTo(debs.size() + " install ok installed");
        assertThat(run("dpkg", "--audit")).isEmpty();
        assertThat(run("dpkg", "--verify"))
                .as("every shipped file matches its md5sum")
                .isEmpty();
    }

    @Test
    void debiansOwnToolsWriteWhatTheAssemblerWrote() {
        String same = run("sh", "-c", """
                set -e
                cp -a /etc/pam.d /tmp/pam.d; cp -a /var/lib/pam /tmp/var-lib-pam
                cp -a /etc/ssl/certs /tmp/certs; cp /etc/shells /tmp/shells
                DEBIAN_FRONTEND=noninteractive pam-auth-update --package
                update-ca-certificates --fresh >/dev/null 2>&1
                update-shells
                diff -r /tmp/pam.d /etc/pam.d && diff -r /tmp/var-lib-pam /var/lib/pam && echo pam same
                diff -r --no-dereference /tmp/certs /etc/ssl/certs && echo certs same
                diff /tmp/shells /etc/shells && echo shells same
                grpck -r && echo groups consistent
                """);
        assertThat(same).isEqualTo("pam same\ncerts same\nshells same\ngroups consistent\n");
    }

    @Test
    void binariesFindTheirLibrariesWithoutLdSoCache() {
        assertThat(run("sh", "-c", "test -e /etc/ld.so.cache || echo no cache")).isEqualTo("no cache\n");
        assertThat(run("apt-get", "--version")).startsWith("apt 2.6");
        assertThat(run("sudo", "-V")).startsWith("Sudo version 1.9");
    }

    @Test
    void aptInstallsOneMorePackageInTheContainer() {
        Exec apt = docker(
                "run",
                "--rm",
                "--network",
                "host",
                IMAGE,
                "sh",
                "-c",
                "apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q hello >/dev/null"
                        + " && hello && dpkg --audit");
        assertThat(apt.exit()).as("apt-get in the container: %s", apt.stderr()).isZero();
        assertThat(apt.stdout()).isEqualTo("Hello, world!\n");
    }

    @Test
    void theSameSetAssemblesToTheSameBytes() throws Exception {
        Path again = WORK.resolve("rootfs-again.tar");
        assemble(again);
        assertThat(sha256(again)).isEqualTo(sha256(layer));
    }

    private static String run(String... command) {
        List<String> args = new ArrayList<>(List.of("run", "--rm", IMAGE));
        args.addAll(List.of(command));
        return docker(args.toArray(String[]::new)).ok();
    }

    private static void writeDockerSave(Path target, List<Path> layers) throws Exception {
        List<String> diffIds = new ArrayList<>();
        for (Path file : layers) {
            diffIds.add("sha256:" + sha256(file));
        }
        ObjectNode config = JSON.createObjectNode();
        config.put("architecture", "amd64");
        config.put("os", "linux");
        config.putObject("config")
                .putArray("Env")
                .add("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        ObjectNode rootfs = config.putObject("rootfs");
        rootfs.put("type", "layers");
        diffIds.forEach(rootfs.putArray("diff_ids")::add);
        byte[] configBytes = JSON.writeValueAsBytes(config);
        String configName =
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(configBytes)) + ".json";
        ObjectNode manifest = JSON.createObjectNode();
        manifest.put("Config", configName);
        manifest.putArray("RepoTags").add(IMAGE);
        var names = manifest.putArray("Layers");
        try (TarArchiveOutputStream tar = LayerTarWriter.open(Files.newOutputStream(target))) {
            for (int i = 0; i < layers.size(); i++) {
                String name = diffIds.get(i).substring(7) + "/layer.tar";
                names.add(name);
                TarArchiveEntry entry = new TarArchiveEntry(name);
                entry.setSize(Files.size(layers.get(i)));
                tar.putArchiveEntry(entry);
                Files.copy(layers.get(i), tar);
                tar.closeArchiveEntry();
            }
            putBytes(tar, configName, configBytes);
            putBytes(
                    tar,
                    "manifest.json",
                    JSON.writeValueAsBytes(JSON.createArrayNode().add(manifest)));
            tar.finish();
        }
    }

    private static void putBytes(TarArchiveOutputStream tar, String name, byte[] bytes) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setSize(bytes.length);
        tar.putArchiveEntry(entry);
        tar.write(bytes);
        tar.closeArchiveEntry();
    }

    private static String sha256(Path file) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
