package ai.molecule.build;

import static org.assertj.core.api.Assertions.fail;

import ai.molecule.core.LayerSpec;
import ai.molecule.files.FileLayers;
import ai.molecule.files.PermissionRule;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * What the engine-backed integration tests share: the docker CLI, a static test binary built with
 * gcc, a log that records what the builder said, and unique image names that are removed again.
 */
/** Running the docker CLI and other commands from engine tests, and the static test binary. */
public final class EngineSupport {
    static final String HOW_TO_START = "These integration tests need a running Docker engine: start one with"
            + " `sudo dockerd &` (or `sudo systemctl start docker`), or point DOCKER_HOST at a running engine";

    /** Path of the test binary inside every image the tests build. */
    static final String BINARY = "/bin/molecule-it";

    /**
     * Prints the nonce from {@code MOLECULE_NONCE}, a checksum of it (Java's String.hashCode, so the
     * test can compute it independently) and the contents of every file named as an argument.
     */
    private static final String PROGRAM = """
            #include <stdint.h>
            #include <stdio.h>
            #include <stdlib.h>

            int main(int argc, char **argv) {
                const char *nonce = getenv("MOLECULE_NONCE");
                if (nonce == NULL) {
                    fputs("MOLECULE_NONCE is not set\\n", stderr);
                    return 3;
                }
                uint32_t sum = 0;
                for (const char *p = nonce; *p; p++) {
                    sum = sum * 31u + (unsigned char) *p;
                }
                printf("molecule-it nonce=%s checksum=%08x\\n", nonce, sum);
                for (int i = 1; i < argc; i++) {
                    FILE *file = fopen(argv[i], "rb");
                    if (file == NULL) {
                        perror(argv[i]);
                        return 4;
                    }
                    int c;
                    while ((c = fgetc(file)) != EOF) {
                        putchar(c);
                    }
                    fclose(file);
                }
                return 0;
            }
            """;

    private EngineSupport() {}

    /** The result of one CLI call. */
    public record Exec(List<String> command, int exit, String stdout, String stderr) {
        /** Fails the test unless the command exited 0; returns its stdout. */
        public String ok() {
            if (exit != 0) {
                fail("`%s` exited %d: %s", String.join(" ", command), exit, stderr.strip());
            }
            return stdout;
        }
    }

    public static Exec run(List<String> command) {
        return run(command, Map.of());
    }

    public static Exec run(List<String> command, Map<String, String> environment) {
        Process process;
        try {
            ProcessBuilder builder = new ProcessBuilder(command);
            // A null value removes the variable from the child's environment.
            environment.forEach((name, value) -> {
                if (value == null) {
                    builder.environment().remove(name);
                } else {
                    builder.environment().put(name, value);
                }
            });
            process = builder.start();
        } catch (IOException e) {
            return fail("cannot run `%s`: %s", String.join(" ", command), e.getMessage());
        }
        CompletableFuture<String> out = DockerEngine.drain(process.getInputStream());
        CompletableFuture<String> err = DockerEngine.drain(process.getErrorStream());
        try {
            process.getOutputStream().close();
            if (!process.waitFor(5, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                return fail("`%s` did not finish in 5 minutes", String.join(" ", command));
            }
        } catch (IOException e) {
            return fail("cannot talk to `%s`: %s", String.join(" ", command), e.getMessage());
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            return fail("interrupted while running `%s`", String.join(" ", command));
        }
        return new Exec(List.copyOf(command), process.exitValue(), out.join(), err.join());
    }

    public static Exec docker(String... args) {
        List<String> command = new ArrayList<>();
        command.add("docker");
        command.addAll(Arrays.asList(args));
        return run(command);
    }

    /** Fails with instructions when no engine answers. */
    public static void requireEngine() {
        Exec version;
        try {
            version = run(List.of("docker", "version", "--format", "{{.Server.Version}}"));
        } catch (AssertionError e) {
            throw new AssertionError("The docker CLI is not installed (apt-get install docker.io). " + HOW_TO_START, e);
        }
        if (version.exit() != 0) {
            fail(
                    "No Docker engine answered `docker version` (%s). %s",
                    version.stderr().strip(), HOW_TO_START);
        }
    }

    /** Compiles the test program with {@code gcc -static} into {@code dir}/bin/molecule-it. */
    static Path compileStaticBinary(Path dir) throws IOException {
        Path source = dir.resolve("molecule-it.c");
        Files.writeString(source, PROGRAM, StandardCharsets.UTF_8);
        Path binary = dir.resolve("bin").resolve("molecule-it");
        Files.createDirectories(binary.getParent());
        Exec gcc;
        try {
            gcc = run(List.of("gcc", "-static", "-O2", "-o", binary.toString(), source.toString()));
        } catch (AssertionError e) {
            throw new AssertionError("gcc is needed to build the static test binary (apt-get install gcc)", e);
        }
        if (gcc.exit() != 0) {
            fail("gcc -static failed (the static C library comes with libc6-dev): %s", gcc.stderr());
        }
        return binary;
    }

    /** A layer holding the directory {@code dir} (with bin/molecule-it) at the image root. */
    static LayerSpec binaryLayer(Path dir) throws IOException {
        return FileLayers.scan(
                "app",
                dir,
                "/",
                List.of("bin/**"),
                List.of(),
                List.of(new PermissionRule(BINARY, OptionalInt.of(0755), OptionalInt.of(0), OptionalInt.of(0))),
                Map.of());
    }

    /** What the test binary prints for {@code nonce}, without file contents. */
    static String expectedOutput(String nonce) {
        return "molecule-it nonce=" + nonce + " checksum=" + String.format("%08x", nonce.hashCode()) + "\n";
    }

    static String randomHex(int bytes) {
        byte[] random = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(random);
        return HexFormat.of().formatHex(random);
    }

    /** Image names (and IDs) created by one test class, removed with {@code docker rmi -f}. */
    static final class Images {
        private final List<String> references = Collections.synchronizedList(new ArrayList<>());

        /** A new unique name, {@code molecule-it/<purpose>-<random>:1}. */
        String unique(String purpose) {
            String name = "molecule-it/" + purpose + "-" + randomHex(6) + ":1";
            references.add(name);
            return name;
        }

        /** Also remove this image ID (a tag that moved on leaves the old image dangling). */
        void track(String reference) {
            references.add(reference);
        }

        void removeAll() {
            List<String> all;
            synchronized (references) {
                all = new ArrayList<>(references);
                references.clear();
            }
            Collections.reverse(all);
            for (String reference : all) {
                docker("rmi", "-f", reference);
            }
        }
    }

    /** The diff IDs the engine lists for an image, bottom first. */
    static List<String> engineLayers(String reference) {
        return docker("image", "inspect", "--format", "{{range .RootFS.Layers}}{{println .}}{{end}}", reference)
                .ok()
                .lines()
                .map(String::strip)
                .filter(line -> !line.isEmpty())
                .toList();
    }

    static String engineImageId(String reference) {
        return docker("image", "inspect", "--format", "{{.Id}}", reference).ok().strip();
    }
}
