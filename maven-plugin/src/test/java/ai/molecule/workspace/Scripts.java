package ai.molecule.workspace;

import static org.assertj.core.api.Assertions.assertThat;

import ai.molecule.core.Trees;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The fixture of the workspace-script tests, registered with {@code @RegisterExtension}: before each
 * test a fresh temp {@link #dir} with the shipped scripts installed executable under their command
 * names in {@link #bin}, and a temp {@link #home}. Scripts run with bash (a command with a slash runs
 * as it is) in a clean environment: {@code PATH} = that bin + the system's, {@code HOME} = the temp
 * home, plus {@link #env} (or the map a call passes). After each test the processes it started (and
 * theirs) are stopped, what it {@linkplain #closeAfterEach registered} is closed, and the dir removed.
 */
final class Scripts implements BeforeEachCallback, AfterEachCallback {
    /** The test's environment for {@link #run(String, String...)} and {@link #start}. */
    final Map<String, String> env = new HashMap<>();

    Path dir;
    Path bin;
    Path home;
    private final List<Process> started = new ArrayList<>();
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        dir = Files.createTempDirectory("molecule-scripts");
        bin = Files.createDirectories(dir.resolve("bin"));
        for (String script : WorkspaceAssets.scripts()) {
            Path file = bin.resolve(script);
            Files.writeString(file, WorkspaceAssets.text(script));
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        home = Files.createDirectories(dir.resolve("home"));
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        for (Process process : started) {
            stop(process.toHandle());
            process.waitFor(10, TimeUnit.SECONDS);
        }
        for (AutoCloseable closeable : closeables) {
            closeable.close();
        }
        Trees.delete(dir);
    }

    /** Closes {@code closeable} after the test, before its dir is removed. */
    <T extends AutoCloseable> T closeAfterEach(T closeable) {
        closeables.add(closeable);
        return closeable;
    }

    /** Adds an executable stand-in command (e.g. {@code molecule-runtime}) to the bin. */
    void stub(String name, String body) throws IOException {
        Path file = bin.resolve(name);
        Files.writeString(file, "#!/usr/bin/env bash\n" + body + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** A stand-in {@code gh} appending to {@code input} its arguments, whether {@code GH_TOKEN} was hidden, and stdin. */
    void stubRecordingGh(Path input) throws IOException {
        stub("gh", "{ echo \"$* GH_TOKEN=${GH_TOKEN-hidden}\"; cat; } >> '" + input + "'");
    }

    /** Runs {@code command} with the test's {@link #env}. */
    Result run(String stdin, String... command) throws IOException, InterruptedException {
        return run(env, stdin, command);
    }

    Result run(Map<String, String> env, String stdin, String... command) throws IOException, InterruptedException {
        Path out = Files.createTempFile(home, "out", ".txt");
        Path err = Files.createTempFile(home, "err", ".txt");
        Process process = start(env, out, err, command);
        try (var in = process.getOutputStream()) {
            in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        assertThat(process.waitFor(60, TimeUnit.SECONDS))
                .as("%s finished within 60 s", String.join(" ", command))
                .isTrue();
        Result result = new Result(process.exitValue(), Files.readString(out), Files.readString(err));
        Files.delete(out);
        Files.delete(err);
        return result;
    }

    /** Starts a script in the background with the test's {@link #env}, both streams into {@code log}. */
    Process start(Path log, String... command) throws IOException {
        return start(env, log, log, command);
    }

    private Process start(Map<String, String> env, Path out, Path err, String... command) throws IOException {
        List<String> args = new ArrayList<>(List.of(command));
        if (!args.get(0).contains("/")) {
            args.set(0, bin.resolve(args.get(0)).toString());
            args.add(0, "bash");
        }
        ProcessBuilder builder = new ProcessBuilder(args)
                .directory(home.toFile())
                .redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile()))
                .redirectError(ProcessBuilder.Redirect.appendTo(err.toFile()));
        Map<String, String> environment = builder.environment();
        environment.clear();
        environment.put("PATH", bin + ":/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        environment.put("HOME", home.toString());
        environment.put("LANG", "C.UTF-8");
        environment.putAll(new TreeMap<>(env));
        Process process = builder.start();
        started.add(process);
        return process;
    }

    /** Ends a process and everything it started. */
    static void stop(ProcessHandle process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    /** Writes {@code text} to {@code file}, creating its parent directories. */
    static Path write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.writeString(file, text);
    }

    /** Polls {@code condition} every 100 ms; fails when it is not met within 20 s. */
    static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (!condition.getAsBoolean()) {
            assertThat(Instant.now()).as("condition met within 20 s").isBefore(deadline);
            Thread.sleep(100);
        }
    }

    /** What a script run printed, and how it exited. */
    record Result(int exit, String stdout, String stderr) {
        String all() {
            return stdout + stderr;
        }

        /** Log output (both streams) never holds any of the secret values. */
        Result leaksNone(String... secrets) {
            for (String secret : secrets) {
                assertThat(all()).as("script output").doesNotContain(secret);
            }
            return this;
        }

        /** The log stream never holds a secret; stdout may (it is the answer to git). */
        Result logsNone(String... secrets) {
            for (String secret : secrets) {
                assertThat(stderr).as("script log (stderr)").doesNotContain(secret);
            }
            return this;
        }
    }
}
