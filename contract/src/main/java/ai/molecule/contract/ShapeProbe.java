package ai.molecule.contract;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the shape an engine lets a workspace start in, the one way both the conformance gate and
 * {@code molecule:run} do it: {@code --privileged} if a container starts with it; else every
 * capability the engine process itself holds (read from its {@code /proc} entry through
 * {@code --pid=host}), less those the engine does not know, plus unconfined seccomp and AppArmor.
 * The engine is reached through {@link Engine}: docker-java in the gate, the docker CLI in the plugin.
 */
public final class ShapeProbe {
    /** Every workspace start, probe or not, shares the host's PID namespace. */
    public static final String PID_MODE = "host";

    private static final Pattern UNKNOWN_CAPABILITY = Pattern.compile("unknown capability: \\\\?\"CAP_([A-Z_]+)");
    private static final String ENGINE_CAPABILITIES = "p=$(grep -lx dockerd /proc/[0-9]*/comm 2>/dev/null | head -n 1)"
            + " && [ -n \"$p\" ] && grep '^CapEff:' \"${p%/comm}/status\"";

    /** What the probe asks of an engine. */
    public interface Engine {
        /**
         * Runs {@code command} as root in a throwaway container of {@code image}, without its
         * entrypoint, with {@code --pid=host} and {@code shape} (none when null), and removes it.
         *
         * @throws Refused when the engine will not create or start the container
         */
        Result run(String image, RunShape shape, String... command) throws Refused;
    }

    /** A probe container's exit code and its output, stdout and stderr together. */
    public record Result(int exit, String output) {}

    /** The engine's refusal to create or start a container, in its own words. */
    public static final class Refused extends Exception {
        public Refused(String message) {
            super(message == null ? "no message" : message);
        }
    }

    private ShapeProbe() {}

    /** The shape {@code engine} allows containers of {@code image}; fails with what to do when none works. */
    public static RunShape probe(Engine engine, String image) {
        String refusal;
        try {
            Result ok = engine.run(image, RunShape.privilegedShape(), "true");
            if (ok.exit() == 0) {
                return RunShape.privilegedShape();
            }
            refusal = "exit " + ok.exit() + ": " + ok.output().strip();
        } catch (Refused e) {
            refusal = firstLine(e.getMessage());
        }
        Result caps;
        try {
            caps = engine.run(image, null, "sh", "-c", ENGINE_CAPABILITIES);
        } catch (Refused e) {
            throw new IllegalStateException("The engine refused --privileged (" + refusal + ") and then a plain"
                    + " container of " + image + " too: " + firstLine(e.getMessage()));
        }
        if (caps.exit() != 0) {
            throw new IllegalStateException("The engine refused --privileged (" + refusal + ") and no dockerd process"
                    + " is visible with --pid=host to learn which capabilities it can grant instead ("
                    + caps.output().strip() + "). Use a Docker engine on this host that allows --privileged,"
                    + " or one whose dockerd is visible with --pid=host");
        }
        long granted = Long.parseUnsignedLong(
                caps.output().strip().substring("CapEff:".length()).strip(), 16);
        List<String> add = new ArrayList<>();
        List<String> dropped = new ArrayList<>();
        for (int bit = 0; bit < RunShape.LINUX_CAPABILITIES.size(); bit++) {
            String name = RunShape.LINUX_CAPABILITIES.get(bit);
            ((granted & (1L << bit)) != 0 ? add : dropped).add(name);
        }
        // Older engines refuse capabilities newer than they know (20.10: PERFMON, BPF, CHECKPOINT_RESTORE).
        while (true) {
            RunShape shape = RunShape.fallback(add, dropped, refusal);
            try {
                Result ok = engine.run(image, shape, "true");
                if (ok.exit() == 0) {
                    return shape;
                }
                throw new IllegalStateException("The engine refused --privileged (" + refusal + ") and a container"
                        + " in the fallback shape " + shape.describe() + " exited " + ok.exit() + ": " + ok.output());
            } catch (Refused e) {
                Matcher unknown = UNKNOWN_CAPABILITY.matcher(e.getMessage());
                if (!unknown.find() || !add.remove(unknown.group(1))) {
                    throw new IllegalStateException("The engine refused --privileged (" + refusal + ") and the"
                            + " fallback shape " + shape.describe() + " as well: " + firstLine(e.getMessage()));
                }
                dropped.add(unknown.group(1));
            }
        }
    }

    private static String firstLine(String message) {
        return message.strip().lines().findFirst().orElse("");
    }
}
