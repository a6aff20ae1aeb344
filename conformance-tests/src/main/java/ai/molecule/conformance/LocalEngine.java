package ai.molecule.conformance;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.BadRequestException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.HostConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.output.FrameConsumerResultCallback;
import org.testcontainers.containers.output.OutputFrame;
import org.testcontainers.containers.output.ToStringConsumer;

/** What the gate asks of the engine besides the workspace container: images, probes, root-owned files. */
final class LocalEngine {
    static final String HOW_TO_START = "Start one with `sudo dockerd &` (or `bash .ci/setup` in the toolkit's"
            + " repository, `sudo systemctl start docker` on a desktop), or point DOCKER_HOST at a running engine."
            + " To skip the gate on purpose, pass -Dmolecule.conformance.skip=true";
    private static final String LABEL = "ai.molecule.conformance";
    private static final Pattern UNKNOWN_CAPABILITY = Pattern.compile("unknown capability: \\\\?\"CAP_([A-Z_]+)");
    private static final Set<Path> LOADED_TARS = new HashSet<>();
    private static RunShape engineShape;

    private LocalEngine() {}

    static DockerClient client() {
        return DockerClientFactory.instance().client();
    }

    /** Loads a docker-save tar into the engine, once per JVM. */
    static synchronized void load(Path tar) {
        Path absolute = tar.toAbsolutePath().normalize();
        if (LOADED_TARS.contains(absolute)) {
            return;
        }
        if (!Files.isRegularFile(absolute)) {
            throw new IllegalStateException("molecule.conformance.imageTar points at " + absolute
                    + ", which is not a file. Point it at the docker-save tar molecule:build-image wrote"
                    + " (target tar, default target/molecule/image.tar), or drop it and build with target docker");
        }
        try (InputStream in = Files.newInputStream(absolute)) {
            client().loadImageCmd(in).exec();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read image tar " + absolute + ": " + e.getMessage(), e);
        }
        LOADED_TARS.add(absolute);
    }

    /** The gate never pulls: the image under test must be the one the build just produced. */
    static void requirePresent(String image) {
        try {
            client().inspectImageCmd(image).exec();
        } catch (NotFoundException e) {
            throw new IllegalStateException("image " + image + " is not in the engine; run mvn package"
                    + " (molecule:build-image with target docker) first, or pass the tar it wrote as"
                    + " -Dmolecule.conformance.imageTar");
        }
    }

    /**
     * The shape the engine allows, probed once per JVM: {@code --privileged} if a container starts
     * with it, else every capability the engine process itself holds (the rest are dropped).
     */
    static synchronized RunShape shape(String image) {
        if (engineShape == null) {
            engineShape = probeShape(image);
        }
        return engineShape;
    }

    private static RunShape probeShape(String image) {
        String refusal;
        try {
            Result ok = run(image, new HostConfig().withPrivileged(true).withPidMode("host"), Map.of(), "true");
            if (ok.exit() == 0) {
                return RunShape.privilegedShape();
            }
            refusal = "exit " + ok.exit() + ": " + ok.output().strip();
        } catch (DockerException e) {
            refusal = firstLine(e.getMessage());
        }
        // With the host's PID namespace the probe sees the engine's own capability set.
        Result caps = run(
                image,
                new HostConfig().withPidMode("host"),
                Map.of(),
                "sh",
                "-c",
                "p=$(grep -lx dockerd /proc/[0-9]*/comm 2>/dev/null | head -n 1) && [ -n \"$p\" ]"
                        + " && grep '^CapEff:' \"${p%/comm}/status\"");
        if (caps.exit() != 0) {
            throw new IllegalStateException("The engine refused --privileged (" + refusal + ") and the gate cannot"
                    + " see its dockerd process to learn which capabilities it can grant instead ("
                    + caps.output().strip() + "). Run the gate against a Docker engine on this host that allows"
                    + " --privileged, or one whose dockerd is visible with --pid=host");
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
            HostConfig host = new HostConfig().withPidMode("host");
            shape.applyTo(host);
            try {
                Result ok = run(image, host, Map.of(), "true");
                if (ok.exit() == 0) {
                    return shape;
                }
                throw new IllegalStateException("The engine refused --privileged (" + refusal + ") and a container"
                        + " in the fallback shape " + shape.describe() + " exited " + ok.exit() + ": " + ok.output());
            } catch (BadRequestException e) {
                Matcher unknown = UNKNOWN_CAPABILITY.matcher(String.valueOf(e.getMessage()));
                if (!unknown.find() || !add.remove(unknown.group(1))) {
                    throw e;
                }
                dropped.add(unknown.group(1));
            }
        }
    }

    /** Runs {@code command} as root in a throwaway container of {@code image} (no entrypoint) and removes it. */
    static Result run(String image, HostConfig host, Map<String, String> env, String... command) {
        DockerClient client = client();
        List<String> envList = env.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue())
                .toList();
        String id = client.createContainerCmd(image)
                .withEntrypoint(command[0])
                .withCmd(List.of(command).subList(1, command.length))
                .withUser("0")
                .withEnv(envList)
                .withLabels(Map.of(LABEL, "probe"))
                .withHostConfig(host)
                .exec()
                .getId();
        try {
            client.startContainerCmd(id).exec();
            int exit = client.waitContainerCmd(id).start().awaitStatusCode(2, TimeUnit.MINUTES);
            ToStringConsumer output = new ToStringConsumer();
            try (FrameConsumerResultCallback callback = new FrameConsumerResultCallback()) {
                callback.addConsumer(OutputFrame.OutputType.STDOUT, output);
                callback.addConsumer(OutputFrame.OutputType.STDERR, output);
                client.logContainerCmd(id)
                        .withStdOut(true)
                        .withStdErr(true)
                        .exec(callback)
                        .awaitCompletion(1, TimeUnit.MINUTES);
            }
            return new Result(exit, output.toUtf8String());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + List.of(command), e);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the output of " + List.of(command) + ": " + e.getMessage(), e);
        } finally {
            client.removeContainerCmd(id).withForce(true).exec();
        }
    }

    /** Runs a shell script as root with {@code directory} mounted at {@code /m}; fails unless it exits 0. */
    static void asRootOn(String image, Path directory, String script, Map<String, String> env) {
        Result result = run(
                image,
                new HostConfig().withBinds(Bind.parse(directory.toAbsolutePath() + ":/m")),
                env,
                "sh",
                "-c",
                script);
        if (result.exit() != 0) {
            throw new IllegalStateException("preparing " + directory + " as root in a container of " + image
                    + " failed (exit " + result.exit() + "): " + result.output().strip());
        }
    }

    record Result(int exit, String output) {}

    private static String firstLine(String message) {
        return message == null
                ? "no message"
                : message.strip().lines().findFirst().orElse("");
    }
}
