package ai.molecule.conformance;

import ai.molecule.contract.RunShape;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeTestExecutionCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Records every check of a conformance class (outcome, message, duration) with the run's shape and
 * writes {@code <reportDirectory>/conformance-report.json} after each class, holding every run of
 * this JVM that wrote to that directory.
 */
public final class ConformanceReport
        implements BeforeAllCallback,
                AfterAllCallback,
                BeforeTestExecutionCallback,
                AfterTestExecutionCallback,
                TestWatcher,
                ParameterResolver {
    public static final String FILE_NAME = "conformance-report.json";
    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(ConformanceReport.class);
    private static final Map<Path, List<ConformanceRun>> RUNS_BY_DIRECTORY = new HashMap<>();

    @Override
    public void beforeAll(ExtensionContext context) {
        ConformanceSettings settings = ConformanceSettings.from(context::getConfigurationParameter);
        context.getStore(NAMESPACE)
                .put(
                        ConformanceRun.class,
                        new ConformanceRun(context.getRequiredTestClass().getName(), settings));
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == ConformanceRun.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return run(context);
    }

    @Override
    public void beforeTestExecution(ExtensionContext context) {
        context.getStore(NAMESPACE).put("start", System.nanoTime());
    }

    @Override
    public void afterTestExecution(ExtensionContext context) {
        long start = context.getStore(NAMESPACE).get("start", Long.class);
        context.getStore(NAMESPACE).put("millis", (System.nanoTime() - start) / 1_000_000);
    }

    @Override
    public void testSuccessful(ExtensionContext context) {
        record(context, "passed", null);
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        record(context, "failed", cause.getMessage());
    }

    @Override
    public void testAborted(ExtensionContext context, Throwable cause) {
        record(context, "aborted", cause.getMessage());
    }

    @Override
    public void testDisabled(ExtensionContext context, Optional<String> reason) {
        record(context, "disabled", reason.orElse(null));
    }

    @Override
    public void afterAll(ExtensionContext context) {
        ConformanceRun run = run(context);
        context.getExecutionException().ifPresent(e -> run.recordError(String.valueOf(e.getMessage())));
        Path directory = run.settings().reportDirectory().toAbsolutePath().normalize();
        List<ConformanceRun> runs;
        synchronized (RUNS_BY_DIRECTORY) {
            runs = RUNS_BY_DIRECTORY.computeIfAbsent(directory, d -> new ArrayList<>());
            runs.add(run);
            runs = List.copyOf(runs);
        }
        write(directory.resolve(FILE_NAME), runs);
    }

    private static ConformanceRun run(ExtensionContext context) {
        return context.getStore(NAMESPACE).get(ConformanceRun.class, ConformanceRun.class);
    }

    private static void record(ExtensionContext context, String status, String message) {
        Long millis = context.getStore(NAMESPACE).get("millis", Long.class);
        run(context)
                .recordCheck(new ConformanceRun.Check(
                        context.getRequiredTestMethod().getName(), status, message, millis == null ? 0 : millis));
    }

    private static void write(Path file, List<ConformanceRun> runs) {
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = json.createObjectNode();
        ArrayNode array = root.putArray("runs");
        for (ConformanceRun run : runs) {
            ObjectNode node = array.addObject();
            node.put("testClass", run.testClass());
            node.put("image", run.settings().image());
            node.put(
                    "passed",
                    run.error() == null
                            && run.checks().stream().allMatch(c -> !c.status().equals("failed")));
            if (run.error() != null) {
                node.put("error", run.error());
            }
            if (run.bootMillis() != null) {
                node.put("bootMillis", run.bootMillis());
            }
            RunShape shape = run.shape();
            if (shape != null) {
                ObjectNode shapeNode = node.putObject("shape");
                shapeNode.put("mode", shape.privileged() ? "privileged" : "fallback");
                if (!shape.privileged()) {
                    shapeNode.put("privilegedRefusal", shape.privilegedRefusal());
                    shape.capAdd().forEach(shapeNode.putArray("capAdd")::add);
                    shape.capsDropped().forEach(shapeNode.putArray("capsDropped")::add);
                    RunShape.FALLBACK_SECURITY_OPTS.forEach(shapeNode.putArray("securityOpt")::add);
                }
            }
            node.put("nsenterTarget", run.nsenterTarget());
            ArrayNode checks = node.putArray("checks");
            for (ConformanceRun.Check check : run.checks()) {
                ObjectNode c = checks.addObject();
                c.put("name", check.name());
                c.put("status", check.status());
                c.put("message", check.message());
                c.put("durationMillis", check.durationMillis());
            }
        }
        try {
            Files.createDirectories(file.getParent());
            Path tmp = Files.createTempFile(file.getParent(), ".conformance-report", ".json");
            json.writeValue(tmp.toFile(), root);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the conformance report " + file, e);
        }
    }
}
