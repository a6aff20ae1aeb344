package ai.molecule.build;

import static ai.molecule.build.EngineSupport.docker;
import static org.assertj.core.api.Assertions.assertThat;

import ai.molecule.core.LayerSpec;
import ai.molecule.files.FileLayers;
import ai.molecule.image.DebianSpec;
import ai.molecule.image.ImageSpec;
import ai.molecule.image.OsPackages;
import ai.molecule.lock.MoleculeLock;
import ai.molecule.testing.RecordingLog;
import ai.molecule.testing.TestCaches;
import ai.molecule.workspace.WorkspaceAssets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The root half of the workspace entrypoint on a real Debian bookworm image in the real engine:
 * one boot, as the provisioner does it (root-owned token and workspace bind-mounted, docker socket
 * mounted), then the CMD reports what the agent sees.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WorkspaceImageIT {
    private static final String AUTH_TOKEN = "planted-root-owned-workspace-token-7f3a";
    private static final String GH_SECRET = "ghp_workspaceItSecret0000";
    private static final String ANTHROPIC_SECRET = "sk-ant-workspaceItSecret";
    /** Runs as the CMD, after the entrypoint; one line per fact. */
    private static final String REPORT = String.join(
            "\n",
            "echo \"cmd-uid=$(id -u)\"",
            "echo \"token=$(stat -c '%u %a' /configs/.auth_token) $(sha256sum < /configs/.auth_token | cut -c1-64)\"",
            "echo \"hooks=$(paste -sd, /tmp/hook-trail)\"",
            "echo \"docker=$(docker version --format '{{.Server.Os}}' 2>&1)\"",
            "echo \"workspace=$(stat -c %u /workspace/root-file /workspace/.molecule/chat-uploads | paste -sd,)\"",
            "echo \"git-helper=$(git config --global credential.https://github.com.helper)\"",
            "echo \"use-http-path=$(git config --global credential.https://github.com.useHttpPath)\"",
            "echo \"token-cache=$(stat -c '%u %a' ~/.molecule-token-cache)\"",
            "echo \"sudo=$(sudo -n id -u)\"",
            "echo \"sudoers=$(stat -c '%u %a' /etc/sudoers.d/molecule-agent)\"",
            "echo \"visudo=$(sudo -n visudo -cf /etc/sudoers.d/molecule-agent)\"");

    private final EngineSupport.Images images = new EngineSupport.Images();
    private final RecordingLog log = new RecordingLog();
    private String image;
    private Path mounts;
    private EngineSupport.Exec boot;

    @BeforeAll
    void buildAndBootOnce(@TempDir Path dir) throws Exception {
        EngineSupport.requireEngine();
        Path cache = TestCaches.layers();
        Path hooks = Files.createDirectories(dir.resolve("template/etc/molecule/entrypoint.d"));
        Files.writeString(hooks.resolve("20-second.sh"), "echo \"second $(id -u)\" >> /tmp/hook-trail\n");
        Files.writeString(hooks.resolve("10-first.sh"), "echo \"first $(id -u)\" >> /tmp/hook-trail\n");
        LayerSpec template =
                FileLayers.scan("image-files", dir.resolve("template"), "/", List.of(), List.of(), List.of(), Map.of());
        OsPackages os = new OsPackages(
                DebianSpec.of("bookworm", WorkspaceAssets.PACKAGES),
                List.of(WorkspaceAssets.AGENT),
                List.of(WorkspaceAssets.DOCKER),
                List.of());
        ImageSpec spec = ImageSpec.builder()
                .osPackages(os)
                .lockFile(dir.resolve(MoleculeLock.FILE_NAME))
                .addLayer(WorkspaceAssets.layer(cache))
                .addLayer(template)
                .entrypoint(List.of(WorkspaceAssets.ENTRYPOINT))
                .cmd(List.of(WorkspaceAssets.DEFAULT_CMD))
                .creationTime(Instant.parse("2026-01-01T00:00:00Z"))
                .build();
        ImageBuilder builder = new ImageBuilder(cache, log);
        builder.lock(spec, RegistryAccess.ANONYMOUS, dir.resolve("out")).write(spec.lockFile());
        image = images.unique("workspace");
        builder.build(spec, new DockerTarget(image), dir.resolve("out"));

        mounts = Files.createDirectories(dir.resolve("mounts"));
        Files.createDirectories(mounts.resolve("configs"));
        Files.createDirectories(mounts.resolve("workspace"));
        // Planted by root in a throwaway container, as the platform does, whoever runs the test.
        docker(
                        "run",
                        "--rm",
                        "--entrypoint",
                        "sh",
                        "-v",
                        mounts + ":/m",
                        image,
                        "-c",
                        "printf %s '" + AUTH_TOKEN + "' > /m/configs/.auth_token && chmod 0640 /m/configs/.auth_token"
                                + " && echo x > /m/workspace/root-file && chown -R 0:0 /m")
                .ok();
        boot = docker(
                "run",
                "--rm",
                "--network",
                "host",
                "-v",
                mounts.resolve("configs") + ":/configs",
                "-v",
                mounts.resolve("workspace") + ":/workspace",
                "-v",
                "/var/run/docker.sock:/var/run/docker.sock",
                "-e",
                "GH_TOKEN=" + GH_SECRET,
                "-e",
                "ANTHROPIC_API_KEY=" + ANTHROPIC_SECRET,
                image,
                "bash",
                "-c",
                REPORT);
        System.out.println("[boot] " + boot.stdout().replace("\n", "\n[boot] ") + boot.stderr());
    }

    @AfterAll
    void cleanUp() {
        if (mounts != null && image != null) {
            docker(
                    "run",
                    "--rm",
                    "--entrypoint",
                    "sh",
                    "-v",
                    mounts + ":/m",
                    image,
                    "-c",
                    "rm -rf /m/configs /m/workspace");
        }
        images.removeAll();
    }

    @Test
    void bootsAndRunsTheCmdAsUid1000() {
        assertThat(boot.exit()).as(boot.stderr()).isZero();
        assertThat(fact("cmd-uid")).isEqualTo("1000");
        assertThat(fact("sudo")).isEqualTo("0");
    }

    @Test
    void rootOwnedTokenIsHandedToAgentWithContentAndModeKept() throws Exception {
        String sha = java.util.HexFormat.of()
                .formatHex(java.security.MessageDigest.getInstance("SHA-256")
                        .digest(AUTH_TOKEN.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertThat(fact("token")).isEqualTo("1000 640 " + sha);
        assertThat(fact("workspace")).isEqualTo("1000,1000");
    }

    @Test
    void agentUsesTheMountedDockerSocketWithoutSudo() {
        assertThat(fact("docker")).isEqualTo("linux");
    }

    @Test
    void hooksRanInLexicalOrderAsAgent() {
        assertThat(fact("hooks")).isEqualTo("first 1000,second 1000");
    }

    @Test
    void gitCredentialsTokenCacheAndSudoersAreWired() {
        assertThat(fact("git-helper")).isEqualTo("/usr/local/bin/molecule-git-token-helper");
        assertThat(fact("use-http-path")).isEqualTo("true");
        assertThat(fact("token-cache")).isEqualTo("1000 700");
        assertThat(fact("sudoers")).isEqualTo("0 440");
        assertThat(fact("visudo")).isEqualTo("/etc/sudoers.d/molecule-agent: parsed OK");
    }

    @Test
    void bootLogNamesVariablesButNoSecretValue() {
        assertThat(boot.stdout()).contains("env GH_TOKEN=set", "env ANTHROPIC_API_KEY=set", "env OPENAI_API_KEY=unset");
        assertThat(boot.stdout() + boot.stderr()).doesNotContain(AUTH_TOKEN, GH_SECRET, ANTHROPIC_SECRET);
    }

    private String fact(String name) {
        return boot.stdout()
                .lines()
                .filter(line -> line.startsWith(name + "="))
                .map(line -> line.substring(name.length() + 1))
                .findFirst()
                .orElse("<no " + name + " line in the boot output>");
    }
}
