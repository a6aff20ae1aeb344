package ai.molecule.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The probe's decisions over an engine that answers as real ones do. The engine here refuses
 * {@code --privileged} and knows no PERFMON, BPF or CHECKPOINT_RESTORE, so the gate's and {@code
 * molecule:run}'s engine ITs take the fallback path; an engine that allows {@code --privileged}, or
 * hides its dockerd, cannot be had on this machine, so those answers are scripted here with the
 * messages Docker 20.10 gives.
 */
class ShapeProbeTest {
    private static final long ALL_BUT_SYS_RESOURCE = ((1L << 41) - 1) & ~(1L << 24);

    /** Answers like an engine whose dockerd holds {@code capabilities} and that knows capabilities up to {@code known}. */
    private record Engine(boolean privilegedAllowed, Long capabilities, int known, List<String> asked)
            implements ShapeProbe.Engine {
        @Override
        public ShapeProbe.Result run(String image, RunShape shape, String... command) throws ShapeProbe.Refused {
            asked.add(shape == null ? "plain" : shape.privileged() ? "privileged" : "fallback");
            if (shape != null && shape.privileged() && !privilegedAllowed) {
                throw new ShapeProbe.Refused("Error response from daemon: failed to create shim task: OCI runtime"
                        + " create failed: unable to apply caps: operation not permitted: unknown\nmore");
            }
            if (shape != null && !shape.privileged()) {
                for (String cap : shape.capAdd()) {
                    if (RunShape.LINUX_CAPABILITIES.indexOf(cap) >= known) {
                        throw new ShapeProbe.Refused(
                                "Error response from daemon: invalid CapAdd: unknown capability: \"CAP_" + cap + "\"");
                    }
                }
            }
            if (shape == null) {
                return capabilities == null
                        ? new ShapeProbe.Result(1, "")
                        : new ShapeProbe.Result(0, "CapEff:\t" + Long.toHexString(capabilities) + "\n");
            }
            return new ShapeProbe.Result(0, "");
        }
    }

    @Test
    void privilegedWhenTheEngineAllowsIt() {
        Engine engine = new Engine(true, null, 41, new ArrayList<>());
        assertThat(ShapeProbe.probe(engine, "img")).isEqualTo(RunShape.privilegedShape());
        assertThat(engine.asked()).containsExactly("privileged");
    }

    @Test
    void fallbackGrantsWhatDockerdHoldsLessWhatTheEngineDoesNotKnow() {
        Engine engine = new Engine(false, ALL_BUT_SYS_RESOURCE, 38, new ArrayList<>());
        RunShape shape = ShapeProbe.probe(engine, "img");
        assertThat(shape.privileged()).isFalse();
        assertThat(shape.capAdd())
                .hasSize(37)
                .contains("SYS_ADMIN", "AUDIT_READ")
                .doesNotContain("SYS_RESOURCE");
        assertThat(shape.capsDropped()).containsExactly("SYS_RESOURCE", "PERFMON", "BPF", "CHECKPOINT_RESTORE");
        assertThat(shape.privilegedRefusal()).endsWith("operation not permitted: unknown");
        assertThat(engine.asked())
                .containsExactly("privileged", "plain", "fallback", "fallback", "fallback", "fallback");
        assertThat(shape.dockerRunOptions())
                .startsWith("--cap-add", "CHOWN")
                .endsWith("--security-opt", "seccomp=unconfined", "--security-opt", "apparmor=unconfined");
    }

    @Test
    void anEngineWhoseDockerdIsHiddenIsExplained() {
        Engine engine = new Engine(false, null, 41, new ArrayList<>());
        assertThatThrownBy(() -> ShapeProbe.probe(engine, "img"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("refused --privileged (Error response from daemon")
                .hasMessageContaining("no dockerd process is visible with --pid=host");
    }
}
