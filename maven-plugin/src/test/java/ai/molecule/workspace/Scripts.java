package ai.molecule.workspace;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The shipped scripts installed executable under their command names in a temp {@code bin}, and
 * run with bash (a command with a slash runs as it is) in a clean environment: {@code PATH} = that bin + the system's, {@code HOME} = a
 * temp home, plus what the test sets.
 */
final class Scripts {
    final Path bin;
    final Path home;

    private Scripts(Path bin, Path home) {
        this.bin = bin;
        this.home = home;
    }

    static Scripts install(Path dir) throws IOException {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        for (String script : WorkspaceAssets.scripts()) {
            Path file = bin.resolve(script);
            Files.writeString(file, WorkspaceAssets.text(script));
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return new Scripts(bin, Files.createDirectories(dir.resolve("home")));
    }

    /** Adds an executable stand-in command (e.g. {@code molecule-runtime}) to the bin. */
    void stub(String name, String body) throws IOException {
        Path file = bin.resolve(name);
        Files.writeString(file, "#!/usr/bin/env bash\n" + body + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
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

    /** Starts a script in the background, both streams into {@code log}; stop it with {@link #stop}. */
    Process start(Map<String, String> env, Path log, String... command) throws IOException {
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
        return builder.start();
    }

    /** Ends a process and everything it started. */
    static void stop(ProcessHandle process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
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
