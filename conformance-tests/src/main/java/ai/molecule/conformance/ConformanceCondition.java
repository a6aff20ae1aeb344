package ai.molecule.conformance;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.DockerClientFactory;

/**
 * No silent pass: without an engine the gate fails, naming how to start one; it is skipped only
 * when {@value ConformanceSettings#SKIP} is true, with a warning.
 */
public final class ConformanceCondition implements ExecutionCondition {
    private static final System.Logger LOG = System.getLogger(ConformanceCondition.class.getName());

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (context.getTestMethod().isPresent()) {
            return ConditionEvaluationResult.enabled("decided for the class");
        }
        ConformanceSettings settings = ConformanceSettings.from(context::getConfigurationParameter);
        if (settings.skip()) {
            String reason = "T4 conformance gate SKIPPED (" + ConformanceSettings.SKIP + "=true): "
                    + context.getDisplayName() + " proved nothing about the image";
            LOG.log(System.Logger.Level.WARNING, reason);
            return ConditionEvaluationResult.disabled(reason);
        }
        if (!DockerClientFactory.instance().isDockerAvailable()) {
            throw new ExtensionConfigurationException(
                    "The T4 conformance gate needs a Docker engine and none answered. " + LocalEngine.HOW_TO_START);
        }
        return ConditionEvaluationResult.enabled("a Docker engine answers");
    }
}
