package ai.molecule.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import ai.molecule.contract.WorkspaceContract;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testcontainers.containers.BindMode;
import org.testcontainers.containers.Container.ExecResult;

/**
 * The T4 conformance gate: the workspace contract proved on the image booted through its own
 * entrypoint in the provisioner's shape. One container serves every read-only check; only {@link
 * #restoreRunsOnce} boots a second. A template adds checks by extending this class and may override
 * {@link #createContainer} to add environment its entrypoint needs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith({ConformanceCondition.class, ConformanceReport.class})
public abstract class WorkspaceConformanceTest {
    protected static final String AGENT = WorkspaceContract.AGENT;
    protected static final String AUTH_TOKEN = WorkspaceContract.AUTH_TOKEN;
    protected static final String SUDOERS_DROP_IN = WorkspaceContract.SUDOERS_DROP_IN;
    protected static final String ASKPASS = WorkspaceContract.ASKPASS;
    protected static final String TOKEN_HELPER = WorkspaceContract.TOKEN_HELPER;
    protected static final String TOKEN_CACHE = WorkspaceContract.TOKEN_CACHE;
    protected static final String RESTORE_MARKER = WorkspaceContract.RESTORE_MARKER;
    private static final String RESTORE_SOURCE = WorkspaceContract.RESTORE_SOURCE;
    private static final int UID = WorkspaceContract.AGENT_UID;
    private static final int SUDOERS_MODE =
            WorkspaceContract.asset("molecule-agent.sudoers").mode();
    private static final String RESTORED_FILE = "workspace/restored-by-snapshot.txt";
    private static final SecureRandom RANDOM = new SecureRandom();

    protected ConformanceRun run;
    protected WorkspaceContainer<?> workspace;
    /** Host directory holding the /configs and /workspace mounts, the restore snapshot and the nonce. */
    protected Path hostDirectory;
    /** Planted root-owned in /configs/.auth_token before boot. */
    protected final String authToken = "auth-" + random();
    /** Secret environment given to the container; none of the values may show in its log. */
    protected final Map<String, String> secretEnvironment = secrets();

    private final String snapshotContent = "snapshot-" + random();

    /** The container for the image under test; override to add what the template's entrypoint needs. */
    protected WorkspaceContainer<?> createContainer(String image) {
        return new WorkspaceContainer<>(image);
    }

    @BeforeAll
    void bootWorkspace(ConformanceRun run) throws IOException {
        this.run = run;
        String image = run.settings().requireImage();
        hostDirectory = Files.createTempDirectory("molecule-conformance-");
        Files.createDirectories(hostDirectory.resolve("configs"));
        Files.createDirectories(hostDirectory.resolve("workspace"));
        Path snapshot = hostDirectory.resolve("restore").resolve(RESTORED_FILE);
        Files.createDirectories(snapshot.getParent());
        Files.writeString(snapshot, snapshotContent);
        // The platform writes the token as root before the container starts.
        LocalEngine.asRootOn(
                image,
                hostDirectory.resolve("configs"),
                WorkspaceContract.plantTokenScript("/m"),
                Map.of(WorkspaceContract.PLANTED_TOKEN_VARIABLE, authToken));
        long start = System.nanoTime();
        workspace = boot(image);
        run.recordBoot(Duration.ofNanos(System.nanoTime() - start));
        run.recordShape(workspace.shape());
    }

    @AfterAll
    void stopWorkspace() {
        if (workspace != null) {
            workspace.stop();
        }
        if (hostDirectory != null && run.settings().image() != null) {
            LocalEngine.asRootOn(run.settings().image(), hostDirectory, "rm -rf /m/*", Map.of());
            try {
                Files.deleteIfExists(hostDirectory);
            } catch (IOException e) {
                // A leftover empty temp directory is harmless.
            }
        }
    }

    private WorkspaceContainer<?> boot(String image) {
        WorkspaceContainer<?> container = createContainer(image)
                .withConfigs(hostDirectory.resolve("configs"))
                .withFileSystemBind(
                        hostDirectory.resolve("workspace").toString(), WorkspaceContract.WORKSPACE, BindMode.READ_WRITE)
                .withFileSystemBind(hostDirectory.resolve("restore").toString(), RESTORE_SOURCE, BindMode.READ_ONLY)
                .withEnv("MOLECULE_RESTORE_DIR", RESTORE_SOURCE)
                .withEnv(secretEnvironment);
        container.start();
        return container;
    }

    @Test
    void workloadRunsAsAgentNotRoot() {
        long pid = workspace.workloadPid();
        String status = root("cat", "/proc/" + pid + "/status").getStdout();
        String uids = status.lines()
                .filter(line -> line.startsWith("Uid:"))
                .findFirst()
                .map(line -> line.substring(4).strip().replaceAll("\\s+", " "))
                .orElse("<no Uid line>");
        assertThat(uids)
                .withFailMessage(
                        "The workload (CMD, host pid %d) runs with uids %s (real effective saved fs), not %d `%s`:"
                                + " the entrypoint's root half must hand over with `exec gosu %s …` so the CMD never"
                                + " runs as root",
                        pid, uids, UID, AGENT, AGENT)
                .isEqualTo(String.join(" ", Collections.nCopies(4, String.valueOf(UID))));
        assertThat(root("getent", "passwd", AGENT).getStdout().strip())
                .withFailMessage(
                        "uid %d must be `%s` with home %s: add the account (molecule <workspace>)",
                        UID, AGENT, WorkspaceContract.AGENT_HOME)
                .startsWith(AGENT + ":x:" + UID + ":" + WorkspaceContract.AGENT_GID + ":")
                .contains(":" + WorkspaceContract.AGENT_HOME + ":");
    }

    @Test
    void agentReachesHostRootThroughChroot() throws IOException {
        Path nonce = plantNonce("chroot");
        assumeAgentHasSudo();
        ExecResult read = agent("sudo", "-n", "chroot", WorkspaceContainer.HOST_ROOT, "cat", nonce.toString());
        assertThat(read.getStdout())
                .withFailMessage(
                        "agent could not read the host nonce %s through `sudo -n chroot /host cat` (exit %d: %s):"
                                + " the container needs / mounted at /host and agent passwordless sudo",
                        nonce, read.getExitCode(), redact(read.getStderr()))
                .isEqualTo(Files.readString(nonce));
    }

    @Test
    void agentReachesHostRootThroughNsenter() throws IOException {
        Path nonce = plantNonce("nsenter");
        String expected = Files.readString(nonce);
        assumeAgentHasSudo();
        ExecResult viaInit = agent("sudo", "-n", "nsenter", "-t", "1", "-m", "cat", nonce.toString());
        if (viaInit.getExitCode() == 0 && viaInit.getStdout().equals(expected)) {
            run.recordNsenterTarget("host PID 1");
            return;
        }
        String pid = agent("sh", "-c", "cat /host/var/run/docker.pid 2>/dev/null || cat /host/run/docker.pid")
                .getStdout()
                .strip();
        ExecResult viaEngine = agent("sudo", "-n", "nsenter", "-t", pid, "-m", "cat", nonce.toString());
        run.recordNsenterTarget("engine pid " + pid + " from /host/var/run/docker.pid (host PID 1 refused: "
                + redact(viaInit.getStderr()).strip() + ")");
        assertThat(viaEngine.getStdout())
                .withFailMessage(
                        "agent could not read the host nonce %s with `sudo -n nsenter -m` into host PID 1 (%s) nor the"
                                + " engine's pid '%s' (%s): the container needs --pid=host, CAP_SYS_ADMIN and"
                                + " CAP_SYS_PTRACE (or --privileged), nsenter (util-linux) and agent passwordless sudo",
                        nonce,
                        redact(viaInit.getStderr()).strip(),
                        pid,
                        redact(viaEngine.getStderr()).strip())
                .isEqualTo(expected);
    }

    @Test
    void agentUsesDockerSocketWithoutSudo() {
        ExecResult version = agent("docker", "version", "--format", "{{.Server.Version}}");
        String socketGid = root("stat", "-c", "%g", WorkspaceContainer.DOCKER_SOCKET)
                .getStdout()
                .strip();
        assertThat(version.getExitCode())
                .withFailMessage(
                        "agent cannot use the mounted docker socket without sudo (`docker version` exit %d: %s)."
                                + " The socket's gid is %s and agent is `%s`: the entrypoint's root half must put agent"
                                + " in a group with the socket's gid before dropping to agent (groupmod -g <socket gid>"
                                + " docker); --group-add does not survive gosu",
                        version.getExitCode(),
                        redact(version.getStderr()).strip(),
                        socketGid,
                        root("id", AGENT).getStdout().strip())
                .isZero();
    }

    @Test
    void rootOwnedTokenIsHandedToAgent() {
        String stat = root("stat", "-c", "%u %a", AUTH_TOKEN).getStdout().strip();
        String sha = root("sha256sum", AUTH_TOKEN).getStdout().strip().split(" ")[0];
        assertThat(stat)
                .withFailMessage(
                        "%s, planted root-owned with mode 600 before boot, is uid/mode `%s` after boot, not `%d 600`:"
                                + " the entrypoint's root half must `chown -R %s:%s %s` (keeping modes)"
                                + " before dropping to %s",
                        AUTH_TOKEN, stat, UID, AGENT, AGENT, WorkspaceContract.CONFIGS, AGENT)
                .isEqualTo(UID + " 600");
        assertThat(sha)
                .withFailMessage(
                        "%s changed content during boot: the entrypoint must hand it over untouched", AUTH_TOKEN)
                .isEqualTo(sha256(authToken));
    }

    @Test
    void sudoersDropInsAre0440AndVisudoClean() {
        List<String> violations = new ArrayList<>();
        String listing = root(
                        "sh", "-c", "for f in /etc/sudoers.d/*; do [ -e \"$f\" ] && stat -c '%n %a %u' \"$f\"; done")
                .getStdout();
        if (listing.lines().noneMatch(line -> line.startsWith(SUDOERS_DROP_IN + " "))) {
            violations.add(
                    SUDOERS_DROP_IN + " is missing: ship it (mode 0440, root) with `agent ALL=(ALL) NOPASSWD:ALL`");
        }
        listing.lines()
                .filter(line -> !line.endsWith(" " + Integer.toOctalString(SUDOERS_MODE) + " 0"))
                .forEach(line -> violations.add(line.split(" ")[0] + " is mode " + line.split(" ")[1] + " owner uid "
                        + line.split(" ")[2] + "; sudo drop-ins must be 0440 root (set <permission> 0440 0:0)"));
        ExecResult visudo = root("visudo", "-c");
        if (visudo.getExitCode() != 0) {
            violations.add("`visudo -c` fails (exit " + visudo.getExitCode() + "): "
                    + (visudo.getStdout() + visudo.getStderr()).strip().replace('\n', ';'));
        }
        ExecResult sudo = agent("sudo", "-n", "true");
        if (sudo.getExitCode() != 0) {
            violations.add("agent has no passwordless sudo (`sudo -n true`: "
                    + sudo.getStderr().strip() + "); the T4 drop-in must grant `agent ALL=(ALL) NOPASSWD:ALL`");
        }
        if (!violations.isEmpty()) {
            fail(numbered("The image's sudoers are wrong:", violations));
        }
    }

    @Test
    void askpassAnswersFromEnvironment() {
        assertThat(agent("test", "-x", ASKPASS).getExitCode())
                .withFailMessage("%s is missing or not executable: ship the workspace asset (mode 0755)", ASKPASS)
                .isZero();
        String user = "user-" + random();
        String password = "password-" + random();
        List<String> violations = new ArrayList<>();
        expectAskpass(violations, "Username for 'https://git.example': ", Map.of("GIT_HTTP_USERNAME", user), user);
        expectAskpass(
                violations, "Password for 'https://git.example': ", Map.of("GIT_HTTP_PASSWORD", password), password);
        expectAskpass(violations, "Username for 'https://git.example': ", Map.of("GITEA_USER", user), user);
        expectAskpass(violations, "Password for 'https://git.example': ", Map.of("GITEA_TOKEN", password), password);
        if (!violations.isEmpty()) {
            fail(numbered(
                    ASKPASS + " must answer git's prompts from the environment and print nothing else:", violations));
        }
    }

    @Test
    void gitCredentialHelperUsesHttpPath() {
        String helper = agent("git", "config", "--global", "--get", "credential.https://github.com.helper")
                .getStdout()
                .strip();
        String useHttpPath = agent("git", "config", "--global", "--get", "credential.https://github.com.useHttpPath")
                .getStdout()
                .strip();
        assertThat(helper + " " + useHttpPath)
                .withFailMessage(
                        "agent's git config has credential.https://github.com.helper=`%s` and useHttpPath=`%s`; the"
                                + " entrypoint must set them to %s and true in agent's global config",
                        helper, useHttpPath, TOKEN_HELPER)
                .isEqualTo(TOKEN_HELPER + " true");
        ExecResult fill = agent(
                Map.of("GIT_TERMINAL_PROMPT", "0"),
                "sh",
                "-c",
                "printf 'protocol=https\\nhost=github.com\\npath=acme/widgets.git\\n\\n' | git credential fill");
        assertThat(fill.getStdout())
                .withFailMessage(
                        "`git credential fill` for https://github.com/acme/widgets.git as agent (GH_TOKEN set, no"
                                + " platform) answered `%s` (exit %d, %s); the token helper must answer"
                                + " username=x-access-token and the token, with the repository path kept",
                        redact(fill.getStdout()).strip(),
                        fill.getExitCode(),
                        redact(fill.getStderr()).strip())
                .contains("path=acme/widgets.git\n", "username=x-access-token\n")
                .contains("password=" + secretEnvironment.get("GH_TOKEN") + "\n");
    }

    @Test
    void tokenCacheIs0700() {
        String stat = root("stat", "-c", "%u %a", TOKEN_CACHE).getStdout().strip();
        assertThat(stat)
                .withFailMessage(
                        "%s is uid/mode `%s`, not `%d 700`: the entrypoint must create it owned by %s with mode"
                                + " 0700 so cached tokens stay private",
                        TOKEN_CACHE, stat, UID, AGENT)
                .isEqualTo(UID + " 700");
        String loose = root("find", TOKEN_CACHE, "-type", "f", "!", "-perm", "600")
                .getStdout()
                .strip();
        assertThat(loose)
                .withFailMessage("token cache files must be mode 0600; these are not: %s", loose)
                .isEmpty();
    }

    @Test
    void bootLogHoldsNoSecretValues() {
        String log = workspace.getLogs();
        List<String> leaks = new ArrayList<>();
        Map<String, String> planted = new LinkedHashMap<>(secretEnvironment);
        planted.put(AUTH_TOKEN, authToken);
        planted.forEach((name, value) -> {
            if (log.contains(value)) {
                leaks.add("the value of " + name);
            }
        });
        assertThat(leaks)
                .withFailMessage("The boot log shows %s: log variable names with set/unset only, never values", leaks)
                .isEmpty();
        assertThat(log)
                .withFailMessage("The boot log does not name GH_TOKEN: the entrypoint must log known variables as"
                        + " `GH_TOKEN=set` or `unset`")
                .contains("GH_TOKEN");
    }

    @Test
    void restoreRunsOnce() throws IOException {
        String restored = root("cat", "/" + RESTORED_FILE).getStdout();
        assertThat(restored)
                .withFailMessage(
                        "The first boot did not restore /%s from MOLECULE_RESTORE_DIR (got `%s`): the entrypoint must"
                                + " copy configs, workspace and home/agent/.claude from the snapshot before hand-over",
                        RESTORED_FILE, restored)
                .isEqualTo(snapshotContent);
        ExecResult marker = root("stat", "-c", "%y", RESTORE_MARKER);
        assertThat(marker.getExitCode())
                .withFailMessage(
                        "The first boot restored but wrote no marker %s: write it once restore is done", RESTORE_MARKER)
                .isZero();
        Files.writeString(hostDirectory.resolve("restore").resolve(RESTORED_FILE), "changed-after-first-boot");
        Files.writeString(hostDirectory.resolve("restore/workspace/late.txt"), "late");
        WorkspaceContainer<?> second = boot(workspace.image());
        second.stop();
        String afterSecond = root("cat", "/" + RESTORED_FILE).getStdout();
        String markerAfter = root("stat", "-c", "%y", RESTORE_MARKER).getStdout();
        boolean late = root("test", "-e", "/workspace/late.txt").getExitCode() == 0;
        assertThat(afterSecond.equals(snapshotContent) && markerAfter.equals(marker.getStdout()) && !late)
                .withFailMessage(
                        "A second boot restored again (workspace file `%s`, late snapshot file %s, marker %s -> %s):"
                                + " the entrypoint must skip the restore while %s exists",
                        afterSecond,
                        late ? "copied" : "not copied",
                        marker.getStdout().strip(),
                        markerAfter.strip(),
                        RESTORE_MARKER)
                .isTrue();
    }

    /** Skips host-root checks when agent cannot sudo at all; the sudoers check reports that cause. */
    protected void assumeAgentHasSudo() {
        Assumptions.assumeTrue(
                agent("sudo", "-n", "true").getExitCode() == 0,
                "agent has no passwordless sudo, so host root is out of reach; sudoersDropInsAre0440AndVisudoClean"
                        + " names the cause");
    }

    /** Runs a command as the agent in the booted workspace. */
    public ExecResult agent(String... command) {
        return workspace.execAsAgent(command);
    }

    protected ExecResult agent(Map<String, String> env, String... command) {
        return workspace.execAsAgent(env, command);
    }

    protected ExecResult root(String... command) {
        return workspace.execAsRoot(command);
    }

    /** Replaces every planted secret value in {@code text}, so failure messages never show one. */
    protected String redact(String text) {
        String result = text.replace(authToken, "<redacted>");
        for (String value : secretEnvironment.values()) {
            result = result.replace(value, "<redacted>");
        }
        return result;
    }

    private void expectAskpass(List<String> violations, String prompt, Map<String, String> env, String answer) {
        List<String> command = new ArrayList<>(List.of("env", "-i", "PATH=/usr/local/bin:/usr/bin:/bin"));
        env.forEach((name, value) -> command.add(name + "=" + value));
        command.add(ASKPASS);
        command.add(prompt);
        ExecResult result = agent(command.toArray(String[]::new));
        if (!result.getStdout().equals(answer + "\n") && !result.getStdout().equals(answer)) {
            violations.add("prompt `" + prompt.strip() + "` with " + env.keySet() + " set printed `"
                    + result.getStdout().strip() + "` (exit " + result.getExitCode()
                    + "), expected that variable's value");
        }
    }

    private Path plantNonce(String name) throws IOException {
        Path nonce = hostDirectory.resolve("nonce-" + name);
        Files.writeString(nonce, "nonce-" + random());
        return nonce.toAbsolutePath();
    }

    private static String numbered(String title, List<String> violations) {
        StringBuilder message = new StringBuilder(title);
        for (int i = 0; i < violations.size(); i++) {
            message.append("\n  ").append(i + 1).append(". ").append(violations.get(i));
        }
        return message.toString();
    }

    private static Map<String, String> secrets() {
        Map<String, String> secrets = new LinkedHashMap<>();
        secrets.put("GH_TOKEN", "ghs_" + random());
        secrets.put("GIT_HTTP_PASSWORD", "git-http-" + random());
        secrets.put("GITEA_TOKEN", "gitea-" + random());
        secrets.put("ANTHROPIC_API_KEY", "sk-ant-" + random());
        return secrets;
    }

    private static String random() {
        byte[] bytes = new byte[12];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
