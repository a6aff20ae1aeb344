package ai.molecule.conformance;

import ai.molecule.contract.RunShape;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One run of a conformance class against one image: its settings, the shape it booted in, which
 * process {@code nsenter} entered, and each check's outcome. Handed to the base class's
 * {@code @BeforeAll} by {@link ConformanceReport}, which writes it to the report.
 */
public final class ConformanceRun {
    private final String testClass;
    private final ConformanceSettings settings;
    private final List<Check> checks = new ArrayList<>();
    private RunShape shape;
    private String nsenterTarget;
    private Long bootMillis;
    private String error;

    /** One check's outcome: status is passed, failed, aborted or disabled. */
    public record Check(String name, String status, String message, long durationMillis) {}

    ConformanceRun(String testClass, ConformanceSettings settings) {
        this.testClass = testClass;
        this.settings = settings;
    }

    public ConformanceSettings settings() {
        return settings;
    }

    public synchronized void recordShape(RunShape shape) {
        this.shape = shape;
    }

    public synchronized void recordNsenterTarget(String target) {
        this.nsenterTarget = target;
    }

    public synchronized void recordBoot(Duration boot) {
        this.bootMillis = boot.toMillis();
    }

    synchronized void recordCheck(Check check) {
        checks.add(check);
    }

    synchronized void recordError(String error) {
        this.error = error;
    }

    synchronized String testClass() {
        return testClass;
    }

    synchronized RunShape shape() {
        return shape;
    }

    synchronized String nsenterTarget() {
        return nsenterTarget;
    }

    synchronized Long bootMillis() {
        return bootMillis;
    }

    synchronized String error() {
        return error;
    }

    synchronized List<Check> checks() {
        return List.copyOf(checks);
    }
}
