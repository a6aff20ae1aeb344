package ai.molecule.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/** No silent pass: the gate skips only when told to, and then says so. */
class ConformanceConditionTest {
    static class Suite extends WorkspaceConformanceTest {}

    @Test
    void skipsOnlyWhenToldAndSaysSo(@TempDir Path reports) {
        List<String> events = new ArrayList<>();
        LauncherFactory.create()
                .execute(
                        LauncherDiscoveryRequestBuilder.request()
                                .selectors(selectClass(Suite.class))
                                .configurationParameter(ConformanceSettings.SKIP, "true")
                                .configurationParameter(
                                        ConformanceSettings.IMAGE, "molecule-conformance-it/absent:test")
                                .configurationParameter(ConformanceSettings.REPORT_DIRECTORY, reports.toString())
                                .build(),
                        new TestExecutionListener() {
                            @Override
                            public void executionSkipped(TestIdentifier id, String reason) {
                                events.add("skipped " + id.getDisplayName() + ": " + reason);
                            }

                            @Override
                            public void executionStarted(TestIdentifier id) {
                                if (id.isTest()) {
                                    events.add("started " + id.getDisplayName());
                                }
                            }
                        });

        assertThat(events)
                .singleElement()
                .asString()
                .startsWith("skipped ConformanceConditionTest$Suite: T4 conformance gate SKIPPED"
                        + " (molecule.conformance.skip=true)");
        assertThat(reports.resolve(ConformanceReport.FILE_NAME)).doesNotExist();
    }
}
