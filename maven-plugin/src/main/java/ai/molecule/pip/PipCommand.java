package ai.molecule.pip;

import ai.molecule.core.UrlLogins;
import ai.molecule.image.PipLayer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs the host's pip for the image's interpreter and platform, with the layer's sources only: pip
 * configuration files and {@code PIP_*} variables of the build machine are ignored, so they cannot
 * add an index or a constraint the cache key does not know about.
 */
final class PipCommand {
    /** Transport settings reach pip; they change how it downloads, not what it resolves. */
    private static final List<String> KEPT_VARIABLES = List.of("PIP_CERT", "PIP_CLIENT_CERT", "PIP_DEFAULT_TIMEOUT");

    private final String python;

    PipCommand(String python) {
        this.python = python;
    }

    /** The exit code, stdout and stderr of one pip run. */
    record Outcome(int exitCode, String stdout, String stderr) {
        /** The last lines of stderr, credentials removed, for an error message. */
        String stderrTail() {
            List<String> lines = stderr.lines()
                    .filter(line -> !line.isBlank() && !line.contains("Running pip as the 'root' user"))
                    .toList();
            return UrlLogins.redact(String.join("\n", lines.subList(Math.max(0, lines.size() - 12), lines.size())));
        }
    }

    /** {@code pip install} flags that pin the target interpreter, platform and sources. */
    static List<String> targetFlags(PipLayer layer, Path requirements) {
        List<String> args = new ArrayList<>(List.of(
                "--ignore-installed",
                "--no-compile",
                "--no-cache-dir",
                "--only-binary=:all:",
                "--python-version",
                layer.pythonVersion(),
                "--implementation",
                "cp",
                "--abi",
                "cp" + layer.pythonVersion().replace(".", "")));
        for (String platform : layer.platforms()) {
            args.add("--platform");
            args.add(platform);
        }
        if (layer.noIndex()) {
            args.add("--no-index");
        }
        if (layer.indexUrl() != null) {
            args.add("--index-url");
            args.add(layer.indexUrl());
        }
        for (String url : layer.extraIndexUrls()) {
            args.add("--extra-index-url");
            args.add(url);
        }
        for (Path directory : layer.findLinks()) {
            args.add("--find-links");
            args.add(directory.toString());
        }
        args.add("-r");
        args.add(requirements.toString());
        return args;
    }

    Outcome install(List<String> installArgs, Path workDir) throws IOException {
        List<String> command = new ArrayList<>(
                List.of(python, "-m", "pip", "install", "--disable-pip-version-check", "--no-input", "--no-color"));
        command.addAll(installArgs);
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile());
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(name -> name.startsWith("PIP_") && !KEPT_VARIABLES.contains(name));
        env.remove("PYTHONPATH");
        env.put("PIP_CONFIG_FILE", "/dev/null");
        env.put("PYTHONDONTWRITEBYTECODE", "1");
        Path stdout = Files.createTempFile(workDir, "pip", ".out");
        Path stderr = Files.createTempFile(workDir, "pip", ".err");
        builder.redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new IOException(
                    "cannot run " + python + " -m pip (" + e.getMessage()
                            + "); install Python 3 with pip on the build machine",
                    e);
        }
        try {
            int exit = process.waitFor();
            return new Outcome(
                    exit,
                    Files.readString(stdout, StandardCharsets.UTF_8),
                    Files.readString(stderr, StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while pip was running", e);
        }
    }
}
