package ai.molecule.run;

import static ai.molecule.build.EngineSupport.docker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import ai.molecule.build.EngineSupport;
import ai.molecule.core.Trees;
import ai.molecule.testing.TestCaches;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * {@code mvn molecule:run -Dmolecule.watch} as a maintainer runs it, in a Maven of its own on a
 * small workspace template (bookworm and nothing but the workspace's own packages): the workspace boots in the
 * provisioner's shape with its token planted, an edit is served by the restarted container, a
 * broken hook is reported while the old container keeps serving, and stopping Maven (what Ctrl-C
 * does) leaves no container behind. Then {@code molecule:run -Dmolecule.run.detach} with the token
 * of a settings.xml server, and {@code molecule:stop}. The plugin comes from the repository {@code invoker:install} fills.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WatchLoopIT {
    private static final String ARTIFACT = "watch-loop";
    private static final String PROJECT = "ai.molecule.it:" + ARTIFACT;
    private static final String CONTAINER = "molecule-run-" + ARTIFACT;
    private static final String IMAGE = "molecule-it/watch-loop:1";
    private static final String TOKEN = "watch-it-planted-token-5e1c";
    private static final String SECRET = "watch-it-secret-value-9b2d";
    private static final String TOKEN_SERVER = "watch-it-token";
    private static final String SERVER_TOKEN = "watch-it-token-from-settings-3f7a";
    private static final Duration FIRST_BUILD = Duration.ofMinutes(10);
    private static final Duration REBUILD = Duration.ofSeconds(60);

    private final List<String> output = new ArrayList<>();
    private Path template;
    private Path settings;
    private Process watch;
    private String servingContainer;

    @BeforeAll
    void lockAndStartTheLoop() throws Exception {
        EngineSupport.requireEngine();
        docker("rm", "-f", CONTAINER);
        template = Path.of("target", "watch-it", ARTIFACT).toAbsolutePath();
        if (Files.exists(template)) {
            Trees.delete(template);
        }
        Files.createDirectories(template.resolve("src/main/image/app"));
        Files.writeString(template.resolve("src/main/image/app/message.txt"), "one\n");
        Files.writeString(template.resolve("pom.xml"), pom());
        settings = settings();
        EngineSupport.Exec lock = maven(List.of("molecule:lock"), Map.of());
        assertThat(lock.exit()).as("molecule:lock:\n%s", lock.stdout()).isZero();

        ProcessBuilder builder = new ProcessBuilder(command(
                        List.of("molecule:run", "-Dmolecule.watch", "-Dmolecule.run.env=IT_SECRET,IT_LEVEL=debug")))
                .redirectErrorStream(true);
        builder.environment().put("MOLECULE_AUTH_TOKEN", TOKEN);
        builder.environment().put("IT_SECRET", SECRET);
        watch = builder.start();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines =
                    new BufferedReader(new InputStreamReader(watch.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    synchronized (output) {
                        output.add(line);
                        output.notifyAll();
                    }
                }
            } catch (IOException e) {
                // The process ended.
            }
        });
        reader.setDaemon(true);
        reader.start();
        awaitLine(line -> line.contains("Watching "), 0, FIRST_BUILD);
    }

    @AfterAll
    void stopEverything() throws Exception {
        if (watch != null && watch.isAlive()) {
            watch.destroyForcibly();
        }
        docker("rm", "-f", CONTAINER);
        docker("rmi", "-f", IMAGE);
    }

    @Test
    @Order(1)
    void theWorkspaceBootsAsTheProvisionerStartsItWithTheTokenPlantedAndSecretsMasked() {
        assertThat(docker(
                                "inspect",
                                "--format",
                                "{{.State.Running}} {{index .Config.Labels \"ai.molecule.run\"}}",
                                CONTAINER)
                        .ok()
                        .strip())
                .isEqualTo("true " + PROJECT);
        assertThat(docker(
                                "inspect",
                                "--format",
                                "{{.HostConfig.PidMode}} {{range .Mounts}}{{.Destination}} {{end}}",
                                CONTAINER)
                        .ok())
                .startsWith("host ")
                .contains("/host ", "/var/run/docker.sock ", "/configs ");
        // The entrypoint handed the root-owned token to the agent, content unchanged.
        assertThat(exec("stat", "-c", "%u %a", "/configs/.auth_token")).isEqualTo("1000 600");
        assertThat(exec("cat", "/configs/.auth_token")).isEqualTo(TOKEN);
        awaitLine(line -> line.contains("boot token=**** secret=**** level=****"), 0, REBUILD);
        assertThat(text()).contains("Workspace shape: ").doesNotContain(TOKEN, SECRET);
        assertThat(exec("cat", "/app/message.txt")).isEqualTo("one");
        servingContainer = containerId();
    }

    @Test
    @Order(2)
    void anEditIsServedByTheRestartedWorkspace() throws Exception {
        int from = lines();
        Files.writeString(template.resolve("src/main/image/app/message.txt"), "two\n");
        awaitLine(line -> line.contains("Workspace restarted on "), from, REBUILD);
        // Only the edited layer goes into the engine (the layer cache may hold it from an earlier run).
        assertThat(text(from))
                .contains("Changed: src/main/image/app/message.txt")
                .containsPattern("Loading " + IMAGE + " into the engine: 1 of \\d+ layers, ");
        assertThat(exec("cat", "/app/message.txt")).isEqualTo("two");
        assertThat(containerId()).isNotEqualTo(servingContainer);
        servingContainer = containerId();
        awaitOnlyTheServingContainer();
    }

    @Test
    @Order(3)
    void aBrokenHookIsShownAndTheOldWorkspaceKeepsServing() throws Exception {
        servingContainer = containerId();
        int from = lines();
        Path hooks = Files.createDirectories(template.resolve("src/main/image/etc/molecule/entrypoint.d"));
        Files.writeString(hooks.resolve("50-broken.sh"), "#!/bin/sh\nif then fi (\n");
        awaitLine(
                line -> line.contains("Rebuild failed; the workspace keeps running the previous image"), from, REBUILD);
        awaitLine(
                line -> line.contains("src/main/image/etc/molecule/entrypoint.d/50-broken.sh:2: bash -n"),
                from,
                REBUILD);
        assertThat(containerId()).isEqualTo(servingContainer);
        assertThat(exec("cat", "/app/message.txt")).isEqualTo("two");

        int fixed = lines();
        // Back to the tree the running image was built from.
        Trees.delete(template.resolve("src/main/image/etc"));
        awaitLine(line -> line.contains("Image unchanged"), fixed, REBUILD);
        assertThat(containerId()).isEqualTo(servingContainer);
    }

    @Test
    @Order(4)
    void stoppingMavenAsCtrlCDoesRemovesTheWorkspaceAndTheToken() throws Exception {
        watch.destroy();
        assertThat(watch.waitFor(60, TimeUnit.SECONDS))
                .as("Maven ends on SIGTERM")
                .isTrue();
        assertThat(containersOfTheTemplate()).isEmpty();
        assertThat(template.resolve("target/molecule/run/configs/.auth_token")).doesNotExist();
    }

    @Test
    @Order(5)
    void aDetachedWorkspaceWithTheTokenOfASettingsServerRunsUntilTheStopGoal() {
        EngineSupport.Exec run = maven(
                List.of("molecule:run", "-Dmolecule.run.detach", "-Dmolecule.run.tokenServerId=" + TOKEN_SERVER),
                Map.of());
        assertThat(run.exit()).as("molecule:run:\n%s", run.stdout()).isZero();
        assertThat(run.stdout()).contains("left running").doesNotContain(SERVER_TOKEN);
        assertThat(exec("cat", "/configs/.auth_token")).isEqualTo(SERVER_TOKEN);
        assertThat(containersOfTheTemplate()).containsExactly(CONTAINER);
        assertThat(exec("cat", "/app/message.txt")).isEqualTo("two");

        EngineSupport.Exec stop = maven(List.of("molecule:stop"), Map.of());
        assertThat(stop.exit()).as("molecule:stop:\n%s", stop.stdout()).isZero();
        assertThat(stop.stdout()).contains("Stopped and removed " + CONTAINER);
        assertThat(containersOfTheTemplate()).isEmpty();
        assertThat(template.resolve("target/molecule/run/configs/.auth_token")).doesNotExist();
    }

    private String pom() {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <project xmlns="http://maven.apache.org/POM/4.0.0">
                  <modelVersion>4.0.0</modelVersion>
                  <groupId>ai.molecule.it</groupId>
                  <artifactId>%s</artifactId>
                  <version>1.0</version>
                  <packaging>pom</packaging>
                  <properties>
                    <project.build.outputTimestamp>2026-01-01T00:00:00Z</project.build.outputTimestamp>
                  </properties>
                  <build>
                    <plugins>
                      <plugin>
                        <groupId>ai.molecule</groupId>
                        <artifactId>molecule-maven-plugin</artifactId>
                        <version>%s</version>
                        <configuration>
                          <cacheDirectory>%s</cacheDirectory>
                          <image>%s</image>
                          <workspace>true</workspace>
                          <debian>
                            <suite>bookworm</suite>
                          </debian>
                          <cmd>
                            <arg>sh</arg>
                            <arg>-c</arg>
                            <arg>echo "boot token=$(cat /configs/.auth_token) secret=$IT_SECRET level=$IT_LEVEL"; exec sleep infinity</arg>
                          </cmd>
                        </configuration>
                      </plugin>
                    </plugins>
                  </build>
                </project>
                """.formatted(ARTIFACT, System.getProperty("molecule.it.pluginVersion"), TestCaches.layers(), IMAGE);
    }

    /** src/it/settings.xml, pointing at the build's own local repository as the invoker does. */
    private Path settings() throws IOException {
        Path outer = Path.of(System.getProperty("molecule.it.remoteRepository"));
        String text = Files.readString(Path.of("src/it/settings.xml"))
                .replace("@localRepositoryUrl@", outer.toUri().toString())
                .replace(
                        "<servers>",
                        "<servers>\n    <server><id>" + TOKEN_SERVER + "</id><password>" + SERVER_TOKEN
                                + "</password></server>");
        Path file = template.getParent().resolve("settings.xml");
        Files.writeString(file, text);
        Path plugin = Path.of(System.getProperty("molecule.it.localRepository"), "ai/molecule/molecule-maven-plugin");
        if (!Files.isDirectory(plugin)) {
            fail(
                    "%s is missing: invoker:install puts the plugin there before the ITs; run them without"
                            + " -Dinvoker.skip",
                    plugin);
        }
        return file;
    }

    private List<String> command(List<String> goals) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("molecule.it.mavenHome"), "bin", "mvn")
                        .toString(),
                "-B",
                "-ntp",
                "-s",
                settings.toString(),
                "-Dmaven.repo.local=" + System.getProperty("molecule.it.localRepository"),
                "-f",
                template.resolve("pom.xml").toString()));
        command.addAll(goals);
        return command;
    }

    private EngineSupport.Exec maven(List<String> goals, Map<String, String> environment) {
        return EngineSupport.run(command(goals), environment);
    }

    private String exec(String... command) {
        List<String> args = new ArrayList<>(List.of("exec", CONTAINER));
        args.addAll(List.of(command));
        return docker(args.toArray(String[]::new)).ok().strip();
    }

    private String containerId() {
        return docker("inspect", "--format", "{{.Id}}", CONTAINER).ok().strip();
    }

    private List<String> containersOfTheTemplate() {
        return docker("ps", "-a", "--filter", "label=ai.molecule.run=" + PROJECT, "--format", "{{.Names}}")
                .ok()
                .lines()
                .toList();
    }

    /** The replaced container is removed in the background; it must go within seconds. */
    private void awaitOnlyTheServingContainer() throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(30);
        while (!containersOfTheTemplate().equals(List.of(CONTAINER))
                && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
        }
        assertThat(containersOfTheTemplate()).containsExactly(CONTAINER);
    }

    private int lines() {
        synchronized (output) {
            return output.size();
        }
    }

    private String text() {
        return text(0);
    }

    private String text(int from) {
        synchronized (output) {
            return String.join("\n", output.subList(from, output.size()));
        }
    }

    private void awaitLine(Predicate<String> wanted, int from, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        synchronized (output) {
            int next = from;
            while (true) {
                for (; next < output.size(); next++) {
                    if (wanted.test(output.get(next))) {
                        return;
                    }
                }
                long left = Duration.between(Instant.now(), deadline).toMillis();
                if (left <= 0 || (watch != null && !watch.isAlive() && next == output.size())) {
                    fail(
                            "the watch loop did not print the line expected within %s; its output:%n%s",
                            timeout, String.join("\n", output));
                }
                try {
                    output.wait(Math.min(left, 500));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    fail("interrupted");
                }
            }
        }
    }
}
