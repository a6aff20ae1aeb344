package ai.molecule.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import ai.molecule.core.LayerEntry;
import ai.molecule.workspace.WorkspaceAssets;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * The gate bites: the whole suite passes on a good bookworm workspace image, and on each image that
 * breaks one part of the contract exactly the matching check fails, with its message.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConformanceGateIT {
    private static final List<String> CHECKS = List.of(
            "workloadRunsAsAgentNotRoot",
            "agentReachesHostRootThroughChroot",
            "agentReachesHostRootThroughNsenter",
            "agentUsesDockerSocketWithoutSudo",
            "rootOwnedTokenIsHandedToAgent",
            "sudoersDropInsAre0440AndVisudoClean",
            "askpassAnswersFromEnvironment",
            "gitCredentialHelperUsesHttpPath",
            "tokenCacheIs0700",
            "bootLogHoldsNoSecretValues",
            "restoreRunsOnce");

    /** The base suite as a template would run it; bound to an image by the launcher request. */
    static class Suite extends WorkspaceConformanceTest {}

    private TestImages images;
    private String good;

    @BeforeAll
    void buildGoodImage(@TempDir Path dir) throws Exception {
        images = new TestImages(dir);
        long start = System.nanoTime();
        good = images.build("good", entries -> entries);
        System.out.printf("[conformance-it] good image built in %d ms%n", (System.nanoTime() - start) / 1_000_000);
    }

    @AfterAll
    void removeImages() {
        if (images != null) {
            images.removeAll();
        }
    }

    @Test
    void goodImagePassesEveryCheckAndTheReportSaysSo(@TempDir Path reports) throws Exception {
        long start = System.nanoTime();
        Map<String, TestExecutionResult> results = runSuite(good, reports);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        System.out.printf("[conformance-it] whole suite on %s: %d ms%n", good, took.toMillis());

        assertThat(failures(results)).isEmpty();
        assertThat(results.keySet()).containsExactlyInAnyOrderElementsOf(CHECKS);
        Path report = reports.resolve(ConformanceReport.FILE_NAME);
        System.out.println("[conformance-it] report:\n" + Files.readString(report));
        JsonNode run = new ObjectMapper().readTree(report.toFile()).get("runs").get(0);
        assertThat(run.get("image").asText()).isEqualTo(good);
        assertThat(run.get("passed").asBoolean()).isTrue();
        assertThat(run.get("shape").get("mode").asText()).isIn("privileged", "fallback");
        if (run.get("shape").get("mode").asText().equals("fallback")) {
            assertThat(run.get("shape").get("capAdd")).isNotEmpty();
            assertThat(run.get("shape").get("privilegedRefusal").asText()).isNotBlank();
        }
        assertThat(run.get("nsenterTarget").asText()).matches("host PID 1|engine pid \\d+ .*");
        assertThat(run.get("checks")).hasSize(CHECKS.size()).allSatisfy(check -> {
            assertThat(check.get("status").asText()).isEqualTo("passed");
            assertThat(check.get("durationMillis").asLong()).isNotNegative();
        });
    }

    static Stream<Arguments> brokenImages() {
        return Stream.of(
                Arguments.of(
                        "no-chown",
                        script(s -> s.replace("\n    hand_over_ownership\n", "\n")),
                        "rootOwnedTokenIsHandedToAgent",
                        "chown -R agent:agent /configs"),
                Arguments.of(
                        "root-workload",
                        script(s -> s.replace("exec gosu \"$AGENT\" \"$AGENT_START\"", "exec \"$AGENT_START\"")),
                        "workloadRunsAsAgentNotRoot",
                        "exec gosu agent"),
                Arguments.of(
                        "sudoers-0644",
                        (Variant) images -> TestImages.withMode(WorkspaceConformanceTest.SUDOERS_DROP_IN, 0644),
                        "sudoersDropInsAre0440AndVisudoClean",
                        "/etc/sudoers.d/molecule-agent is mode 644"),
                Arguments.of(
                        "sudoers-missing",
                        (Variant) images -> TestImages.without(WorkspaceConformanceTest.SUDOERS_DROP_IN),
                        "sudoersDropInsAre0440AndVisudoClean",
                        "/etc/sudoers.d/molecule-agent is missing"),
                Arguments.of(
                        "askpass-missing",
                        (Variant) images -> TestImages.without(WorkspaceConformanceTest.ASKPASS),
                        "askpassAnswersFromEnvironment",
                        "molecule-askpass is missing"),
                Arguments.of(
                        "docker-group-not-aligned",
                        script(s -> s.replace("\n    align_docker_group\n", "\n")),
                        "agentUsesDockerSocketWithoutSudo",
                        "groupmod -g <socket gid> docker"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenImages")
    void brokenImageFailsExactlyItsCheck(
            String variant, Variant edit, String check, String message, @TempDir Path reports) throws Exception {
        String image = images.build(variant, edit.entries(images));
        Map<String, TestExecutionResult> results = runSuite(image, reports);

        assertThat(failures(results)).containsOnlyKeys(check);
        assertThat(failures(results).get(check)).contains(message);
        assertThat(results.keySet()).containsExactlyInAnyOrderElementsOf(CHECKS);
    }

    /** A broken variant: how it edits the workspace layer's entries. */
    @FunctionalInterface
    interface Variant {
        UnaryOperator<List<LayerEntry>> entries(TestImages images);
    }

    private static Variant script(UnaryOperator<String> edit) {
        return images -> images.editScript(WorkspaceAssets.ENTRYPOINT, edit);
    }

    /** Runs {@link Suite} against {@code image}; results by check name. */
    private static Map<String, TestExecutionResult> runSuite(String image, Path reports) {
        Map<String, TestExecutionResult> results = new ConcurrentHashMap<>();
        TestExecutionListener listener = new TestExecutionListener() {
            @Override
            public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                if (id.isTest()
                        && id.getSource().orElse(null)
                                instanceof org.junit.platform.engine.support.descriptor.MethodSource method) {
                    results.put(method.getMethodName(), result);
                } else if (id.isContainer() && result.getStatus() != TestExecutionResult.Status.SUCCESSFUL) {
                    results.put("<" + id.getDisplayName() + ">", result);
                }
            }
        };
        LauncherFactory.create()
                .execute(
                        LauncherDiscoveryRequestBuilder.request()
                                .selectors(selectClass(Suite.class))
                                .configurationParameter(ConformanceSettings.IMAGE, image)
                                .configurationParameter(ConformanceSettings.REPORT_DIRECTORY, reports.toString())
                                .build(),
                        listener);
        results.forEach((name, result) -> System.out.printf(
                "[conformance-it] %s %s %s%n",
                image,
                name,
                result.getStatus()
                        + result.getThrowable().map(ConformanceGateIT::causes).orElse("")));
        return results;
    }

    private static String causes(Throwable error) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = error; t != null; t = t.getCause()) {
            text.append("\n    ")
                    .append(t.getClass().getSimpleName())
                    .append(": ")
                    .append(t.getMessage());
        }
        return text.toString();
    }

    private static Map<String, String> failures(Map<String, TestExecutionResult> results) {
        Map<String, String> failures = new TreeMap<>();
        results.forEach((name, result) -> {
            if (result.getStatus() == TestExecutionResult.Status.FAILED) {
                failures.put(
                        name, result.getThrowable().map(Throwable::getMessage).orElse(""));
            }
        });
        return failures;
    }
}
