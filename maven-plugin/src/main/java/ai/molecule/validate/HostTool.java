package ai.molecule.validate;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A checker program of the build machine (bash, shellcheck, visudo), found on PATH. Its verdict on
 * a file depends on nothing but the file's name and content, so runs are remembered by those: a
 * template validated again in the same JVM ({@code molecule:run}'s watch loop) runs the checkers
 * only on the files that changed.
 */
final class HostTool {
    private static final long TIMEOUT_SECONDS = 60;
    private static final int REMEMBERED = 4096;
    /** Stands for the checked file's path in a remembered output, which names the file where it was then. */
    private static final String FILE = "\0file\0";

    private static final Map<String, Result> VERDICTS = new ConcurrentHashMap<>();

    private final Path executable;

    HostTool(Path executable) {
        this.executable = executable;
    }

    /** The program named {@code name} on PATH (then /usr/sbin and /sbin, where visudo lives), if any. */
    static Optional<HostTool> find(String name) {
        List<String> dirs =
                new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)));
        dirs.addAll(List.of("/usr/sbin", "/sbin"));
        return dirs.stream()
                .filter(dir -> !dir.isEmpty())
                .map(dir -> Path.of(dir, name))
                .filter(Files::isExecutable)
                .findFirst()
                .map(HostTool::new);
    }

    /** Exit code and merged output of one run. */
    record Result(int exitCode, String output) {
        List<String> lines() {
            return output.lines().toList();
        }
    }

    /** Runs the program on {@code file} after {@code options}, or gives its verdict on the same name and content. */
    Result check(Path file, String... options) throws IOException {
        StringBuilder key = new StringBuilder(executable.toString());
        for (String option : options) {
            key.append('\0').append(option);
        }
        key.append('\0').append(file.getFileName()).append('\0').append(sha256(Files.readAllBytes(file)));
        String path = file.toString();
        Result known = VERDICTS.get(key.toString());
        if (known != null) {
            return new Result(known.exitCode(), known.output().replace(FILE, path));
        }
        String[] arguments = Arrays.copyOf(options, options.length + 1);
        arguments[options.length] = path;
        Result result = run(arguments);
        if (VERDICTS.size() >= REMEMBERED) {
            VERDICTS.clear();
        }
        VERDICTS.put(
                key.toString(), new Result(result.exitCode(), result.output().replace(path, FILE)));
        return result;
    }

    private static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    Result run(String... arguments) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(executable.toString());
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        try {
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not finish in " + TIMEOUT_SECONDS + " s");
            }
            return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + command.get(0), e);
        }
    }
}
