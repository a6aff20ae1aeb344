package ai.molecule.npm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the host's npm with its output captured to a file, so a chatty install cannot block on a pipe;
 * {@code npm_config_*} variables of the build machine reach it only when they are transport settings.
 */
final class NpmCommand {
    private final String executable;

    NpmCommand(String executable) {
        this.executable = executable;
    }

    record Outcome(int exitCode, String output) {
        boolean ok() {
            return exitCode == 0;
        }

        /** npm's own error lines, or the tail of the output when it printed none. */
        String errors() {
            List<String> lines = output.lines()
                    // Indented lines are stack traces and error-object dumps; the unindented ones say what failed.
                    .filter(line -> line.matches("npm (error|ERR!) \\S.*"))
                    .filter(line -> !line.contains("A complete log of this run") && !line.equals("npm error }"))
                    .map(line -> "  " + line)
                    .toList();
            if (lines.isEmpty()) {
                List<String> all = output.lines().toList();
                lines = all.subList(Math.max(0, all.size() - 10), all.size());
            }
            return String.join("\n", lines);
        }
    }

    Outcome run(Path directory, List<String> arguments) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(executable);
        command.addAll(arguments);
        Path output = Files.createTempFile(directory, "npm-", ".log");
        try {
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(directory.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile());
            builder.environment()
                    .keySet()
                    .removeIf(name -> NpmUserConfig.isNpmSetting(name) && !NpmUserConfig.isTransport(name));
            Process process = builder.start();
            int exit = process.waitFor();
            return new Outcome(exit, Files.readString(output, StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + String.join(" ", command), e);
        } catch (IOException e) {
            throw new IOException(
                    "cannot run '" + executable + "' (" + e.getMessage() + "); install Node.js with npm 10 or newer"
                            + " on the build machine, or put npm on the PATH",
                    e);
        } finally {
            Files.deleteIfExists(output);
        }
    }
}
