package ai.molecule.archetype;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A template as a maintainer starts one: {@code mvn archetype:generate} in a directory outside the
 * reactor, then, in the generated repo, exactly its first command, {@code ./mvnw molecule:lock verify}:
 * lock, validate, adapter unit tests, image, T4 gate and the template's own checks. Maven gets the
 * archetype, parent, plugin and suite from the repository {@code invoker:install} fills; PyPI is out of
 * reach here, so the runtime comes from a wheelhouse of the stand-in wheel ({@code -Dwheelhouse}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ArchetypeIT {
    private static final String ARTIFACT = "my-agent";
    private static final String IMAGE = "molecule/" + ARTIFACT + ":1.0.0-SNAPSHOT";

    private Path work;
    private Path project;
    private Path settings;

    @BeforeAll
    void generate() throws Exception {
        // Outside the reactor (no module, no parent path); kept after a failure for its reports.
        work = Path.of("target", "archetype-it").toAbsolutePath();
        if (Files.exists(work)) {
            delete(work);
        }
        Files.createDirectories(work);
        Path wheelhouse = work.resolve("wheelhouse");
        Run wheel = run(
                work,
                List.of("python3", System.getProperty("molecule.it.wheelBuilder"), wheelhouse.toString(), "1.0.0"));
        assertThat(wheel.exit()).as("stand-in wheel:\n%s", wheel.output()).isZero();
        settings = work.resolve("settings.xml");
        Files.writeString(
                settings,
                Files.readString(Path.of(System.getProperty("molecule.it.settings")))
                        .replace(
                                "@localRepositoryUrl@",
                                Path.of(System.getProperty("molecule.it.remoteRepository"))
                                        .toUri()
                                        .toString()));
        List<String> generate =
                new ArrayList<>(maven(Path.of(System.getProperty("molecule.it.mavenHome"), "bin", "mvn")));
        generate.addAll(List.of(
                System.getProperty("molecule.it.archetypePlugin") + ":generate",
                "-DarchetypeGroupId=ai.molecule",
                "-DarchetypeArtifactId=molecule-template-archetype",
                "-DarchetypeVersion=" + System.getProperty("molecule.it.archetypeVersion"),
                "-DgroupId=com.example.agents",
                "-DartifactId=" + ARTIFACT,
                "-Dwheelhouse=" + wheelhouse));
        Run generated = run(work, generate);
        assertThat(generated.exit())
                .as("archetype:generate:\n%s", generated.output())
                .isZero();
        project = work.resolve(ARTIFACT);
    }

    @AfterAll
    void removeImage() throws Exception {
        run(work, List.of("docker", "rmi", "-f", IMAGE));
    }

    private static void delete(Path tree) throws IOException {
        try (Stream<Path> files = Files.walk(tree)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }

    @Test
    @Order(1)
    void theRepoHoldsOnlyTheTemplatesOwnParts() throws IOException {
        try (Stream<Path> files = Files.walk(project)) {
            assertThat(files.filter(Files::isRegularFile)
                            .map(file -> project.relativize(file).toString())
                            .sorted())
                    .containsExactly(
                            ".github/workflows/ci.yml",
                            ".gitignore",
                            ".mvn/wrapper/maven-wrapper.properties",
                            "README.md",
                            "mvnw",
                            "pom.xml",
                            "requirements.txt",
                            "src/main/image/app/adapter.py",
                            "src/main/image/app/config.yaml",
                            "src/test/java/com/example/agents/TemplateConformanceIT.java",
                            "src/test/python/test_adapter.py");
        }
        assertThat(Files.isExecutable(project.resolve("mvnw")))
                .as("mvnw executable")
                .isTrue();
        String pom = Files.readString(project.resolve("pom.xml"));
        assertThat(pom)
                .contains(
                        "<artifactId>molecule-template-parent</artifactId>",
                        "<version>" + System.getProperty("molecule.it.archetypeVersion") + "</version>",
                        "<suite>bookworm</suite>",
                        "<package>@anthropic-ai/claude-code</package>",
                        "<findLink>" + work.resolve("wheelhouse") + "</findLink>")
                .doesNotContain("${", "#if", "#end")
                // The workspace's own packages come from the toolkit, not from each template.
                .doesNotContain("<package>gosu</package>", "<package>sudo</package>");
        assertThat(Files.readString(project.resolve("src/main/image/app/adapter.py")))
                .contains("TEMPLATE = \"" + ARTIFACT + "\"");
    }

    @Test
    @Order(2)
    void itsFirstLockAndVerifyPass() throws Exception {
        List<String> command = new ArrayList<>(maven(project.resolve("mvnw")));
        command.addAll(List.of(
                "-Dmolecule.cacheDirectory="
                        + Path.of("target", "archetype-it-cache").toAbsolutePath(),
                "molecule:lock",
                "verify"));
        Run build = run(project, command);
        assertThat(build.exit())
                .as("./mvnw molecule:lock verify:\n%s", build.output())
                .isZero();
        assertThat(project.resolve("molecule.lock")).isRegularFile();
        assertThat(build.output())
                .contains("Ran 5 tests", "OK")
                .containsPattern("Tests run: [1-9][0-9]*, Failures: 0, Errors: 0, Skipped: [0-9]+, Time elapsed: .* in "
                        + "com.example.agents.TemplateConformanceIT")
                .contains("BUILD SUCCESS");
        assertThat(run(project, List.of("docker", "image", "inspect", "--format", "{{.Id}}", IMAGE))
                        .exit())
                .as("the image %s is in the engine", IMAGE)
                .isZero();
    }

    private List<String> maven(Path executable) {
        return List.of(
                executable.toString(),
                "-B",
                "-ntp",
                "-s",
                settings.toString(),
                "-Dmaven.repo.local=" + System.getProperty("molecule.it.localRepository"));
    }

    private record Run(int exit, String output) {}

    private static Run run(Path directory, List<String> command) throws IOException, InterruptedException {
        Path log = Files.createTempFile("archetype-it", ".log");
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(directory.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        // The Maven running this test exported its own project directory and arguments; the generated
        // repo's wrapper must find its own.
        builder.environment().keySet().removeIf(name -> name.startsWith("MAVEN_") && !name.equals("MAVEN_USER_HOME"));
        Process process = builder.start();
        if (!process.waitFor(30, TimeUnit.MINUTES)) {
            process.destroyForcibly();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        Files.delete(log);
        return new Run(process.isAlive() ? -1 : process.exitValue(), output);
    }
}
