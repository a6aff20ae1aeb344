package ai.molecule.build;

import ai.molecule.core.MoleculeException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** The local Docker engine, reached through the {@code docker} CLI (honouring DOCKER_HOST). */
final class DockerEngine {
    static final String START_HINT = "Start an engine (e.g. `sudo dockerd &` or `sudo systemctl start docker`),"
            + " point DOCKER_HOST at one, or build with <target>tar</target>, which needs no engine";

    /** What the engine holds under a reference: its image ID ({@code null} if none) and diff ids, bottom first. */
    record Held(String imageId, List<String> diffIds) {}

    /**
     * One {@code docker image inspect} (a no-op build's only engine call); when it fails, whether an
     * engine answers at all, failing with how to start one if none does.
     */
    Held held(String reference) throws MoleculeException {
        Result result = run(
                List.of(
                        "docker",
                        "image",
                        "inspect",
                        "--format",
                        "{{.Id}}{{range .RootFS.Layers}} {{.}}{{end}}",
                        reference),
                null);
        if (result.exit == 0) {
            List<String> fields = List.of(result.stdout.strip().split(" "));
            return new Held(fields.get(0), fields.subList(1, fields.size()));
        }
        Result version = run(List.of("docker", "version", "--format", "{{.Server.APIVersion}}"), null);
        if (version.exit != 0) {
            throw new MoleculeException("No Docker engine answered (" + describeHost() + "): "
                    + sentence(version.stderr) + " " + START_HINT);
        }
        return new Held(null, List.of());
    }

    /** Streams a docker-save tar into {@code docker load}. */
    void load(StreamWriter tar) throws MoleculeException {
        Result result = run(List.of("docker", "load"), tar);
        if (result.exit != 0) {
            throw new MoleculeException("docker load failed: " + result.stderr.strip());
        }
    }

    @FunctionalInterface
    interface StreamWriter {
        void writeTo(OutputStream out) throws IOException;
    }

    private record Result(int exit, String stdout, String stderr) {}

    private static Result run(List<String> command, StreamWriter stdin) throws MoleculeException {
        Process process;
        try {
            process = new ProcessBuilder(command).start();
        } catch (IOException e) {
            throw new MoleculeException("Cannot run the docker CLI (" + e.getMessage()
                    + "). Install it (apt-get install docker.io) or build with <target>tar</target>");
        }
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
    static CompletableFuture<String> drain(InputStream stream) {
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
