package ai.molecule.build;

import ai.molecule.core.MoleculeException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The local Docker engine, reached through the {@code docker} CLI (honouring DOCKER_HOST): the
 * docker target's inspect and partial load, and the containers {@code molecule:run} starts.
 */
public final class DockerEngine {
    public static final String START_HINT = "Start an engine (e.g. `sudo dockerd &` or `sudo systemctl start docker`),"
            + " point DOCKER_HOST at one, or build with <target>tar</target>, which needs no engine";

    /** What the engine holds under a reference: its image ID ({@code null} if none) and diff ids, bottom first. */
    record Held(String imageId, List<String> diffIds) {}

    /**
     * One {@code docker image inspect} (a no-op build's only engine call); when it fails, whether an
     * engine answers at all, failing with how to start one if none does.
     */
    Held held(String reference) throws MoleculeException {
        Result result = run(
                List.of("image", "inspect", "--format", "{{.Id}}{{range .RootFS.Layers}} {{.}}{{end}}", reference),
                Map.of(),
                null);
        if (result.exit == 0) {
            List<String> fields = List.of(result.stdout.strip().split(" "));
            return new Held(fields.get(0), fields.subList(1, fields.size()));
        }
        Result version = run(List.of("version", "--format", "{{.Server.APIVersion}}"), Map.of(), null);
        if (version.exit != 0) {
            throw new MoleculeException("No Docker engine answered (" + describeHost() + "): "
                    + sentence(version.stderr) + " " + START_HINT);
        }
        return new Held(null, List.of());
    }

    /** Streams a docker-save tar into {@code docker load}. */
    void load(StreamWriter tar) throws MoleculeException {
        Result result = run(List.of("load"), Map.of(), tar);
        if (result.exit != 0) {
            throw new MoleculeException("docker load failed: " + result.stderr.strip());
        }
    }

    @FunctionalInterface
    interface StreamWriter {
        void writeTo(OutputStream out) throws IOException;
    }

    /** What a docker CLI call gave: its exit code, stdout and stderr. */
    public record Result(int exit, String stdout, String stderr) {}

    /**
     * Runs {@code docker <arguments>} to its end.
     *
     * @param environment added to the CLI's environment; how {@code docker run -e NAME} passes a
     *     secret without it appearing on a command line
     */
    public Result docker(List<String> arguments, Map<String, String> environment) throws MoleculeException {
        return run(arguments, environment, null);
    }

    /** Starts {@code docker <arguments>} and leaves it running, e.g. {@code docker logs -f}. */
    public Process start(List<String> arguments) throws MoleculeException {
        return launch(command(arguments), Map.of());
    }

    private static List<String> command(List<String> arguments) {
        List<String> command = new ArrayList<>(arguments.size() + 1);
        command.add("docker");
        command.addAll(arguments);
        return command;
    }

    private static Process launch(List<String> command, Map<String, String> environment) throws MoleculeException {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(environment);
        try {
            return builder.start();
        } catch (IOException e) {
            throw new MoleculeException("Cannot run the docker CLI (" + e.getMessage()
                    + "). Install it (apt-get install docker.io) or build with <target>tar</target>");
        }
    }

    private static Result run(List<String> arguments, Map<String, String> environment, StreamWriter stdin)
            throws MoleculeException {
        List<String> command = command(arguments);
        Process process = launch(command, environment);
        CompletableFuture<String> out = drain(process.getInputStream());
        CompletableFuture<String> err = drain(process.getErrorStream());
        try {
            try (OutputStream in = process.getOutputStream()) {
                if (stdin != null) {
                    stdin.writeTo(in);
                }
            } catch (IOException e) {
                // The CLI exited early; its stderr below says why.
            }
            if (!process.waitFor(30, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new MoleculeException("`" + String.join(" ", command) + "` did not finish in 30 minutes");
            }
            return new Result(process.exitValue(), out.join(), err.join());
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new MoleculeException("interrupted while running " + String.join(" ", command), e);
        }
    }

    /** Reads a child process's stream to the end on a thread of its own (also used by the engine tests). */
    public static CompletableFuture<String> drain(InputStream stream) {
        // Own threads, not the common pool: on two cores it has one thread, and stdout and stderr
        // must drain at once or a full pipe stalls the CLI.
        return CompletableFuture.supplyAsync(
                () -> {
                    try (InputStream in = stream) {
                        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                        in.transferTo(bytes);
                        return bytes.toString(StandardCharsets.UTF_8);
                    } catch (IOException e) {
                        return "";
                    }
                },
                runnable -> {
                    Thread thread = new Thread(runnable, "process-output");
                    thread.setDaemon(true);
                    thread.start();
                });
    }

    private static String sentence(String text) {
        String trimmed = text.strip();
        return trimmed.endsWith(".") || trimmed.endsWith("?") ? trimmed : trimmed + ".";
    }

    private static String describeHost() {
        String host = System.getenv("DOCKER_HOST");
        return host == null || host.isBlank()
                ? "DOCKER_HOST unset, so unix:///var/run/docker.sock"
                : "DOCKER_HOST=" + host;
    }
}
