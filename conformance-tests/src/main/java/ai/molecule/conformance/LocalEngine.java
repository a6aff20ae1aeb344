package ai.molecule.conformance;

import ai.molecule.contract.RunShape;
import ai.molecule.contract.ShapeProbe;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.HostConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
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
        return ShapeProbe.probe(
                (probed, shape, command) -> {
                    HostConfig host = new HostConfig().withPidMode(ShapeProbe.PID_MODE);
                    if (shape != null) {
                        apply(shape, host);
                    }
                    try {
                        Result result = run(probed, host, Map.of(), command);
                        return new ShapeProbe.Result(result.exit(), result.output());
                    } catch (DockerException e) {
                        throw new ShapeProbe.Refused(e.getMessage());
                    }
                },
                image);
    }

    /** Applies a shape to a container's host config. */
    static void apply(RunShape shape, HostConfig host) {
        if (shape.privileged()) {
            host.withPrivileged(true);
        } else {
            host.withCapAdd(shape.capAdd().stream().map(Capability::valueOf).toArray(Capability[]::new))
                    .withSecurityOpts(RunShape.FALLBACK_SECURITY_OPTS);
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
}
