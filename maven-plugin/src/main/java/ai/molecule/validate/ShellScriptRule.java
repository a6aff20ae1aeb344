package ai.molecule.validate;

import ai.molecule.core.BuildLog;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every shell script ({@code .sh}, or a {@code #!} line naming sh, bash or dash) passes {@code
 * bash -n} and, when the build machine has it, shellcheck. Without shellcheck the rule warns once.
 */
public final class ShellScriptRule implements Rule {
    private static final Pattern SHEBANG = Pattern.compile("#!\\s*\\S*/(?:env\\s+(?:-\\S+\\s+)*)?(sh|bash|dash)\\b.*");
    private static final Pattern BASH_ERROR = Pattern.compile(".*?: line (\\d+): (.*)");
    private static final Pattern SHELLCHECK_FINDING = Pattern.compile(".*?:(\\d+):(\\d+): (\\w+): (.*)");

    private final Function<String, Optional<HostTool>> tools;

    public ShellScriptRule() {
        this(HostTool::find);
    }

    /** @param tools finds bash and shellcheck; tests pass one that finds no shellcheck */
    ShellScriptRule(Function<String, Optional<HostTool>> tools) {
        this.tools = tools;
    }

    @Override
    public String name() {
        return "shell scripts";
    }

    @Override
    public Outcome check(Template template, BuildLog log) throws IOException {
        List<Path> scripts = new ArrayList<>();
        for (Path file : template.filesToScan()) {
            if (isShellScript(file)) {
                scripts.add(file);
            }
        }
        if (scripts.isEmpty()) {
            return new Outcome(0, List.of());
        }
        HostTool bash = tools.apply("bash")
                .orElseThrow(() -> new IOException("bash is not on PATH; the shell script rule needs it for bash -n"));
        Optional<HostTool> shellcheck = tools.apply("shellcheck");
        if (shellcheck.isEmpty()) {
            log.warn("shellcheck is not installed; shell scripts are checked with bash -n only"
                    + " (install the shellcheck package to lint them)");
        }
        List<Violation> violations = new ArrayList<>();
        for (Path script : scripts) {
            String file = template.display(script);
            HostTool.Result syntax = bash.check(script, "-n");
            // A script bash cannot parse gets no lint: shellcheck would only repeat the syntax error.
            if (syntax.exitCode() != 0) {
                // bash names the line twice: the error, then the offending text; report them as one.
                Map<Integer, List<String>> errors = new LinkedHashMap<>();
                for (String line : syntax.lines()) {
                    Matcher error = BASH_ERROR.matcher(line);
                    if (error.matches()) {
                        errors.computeIfAbsent(Integer.parseInt(error.group(1)), n -> new ArrayList<>())
                                .add(error.group(2));
                    }
                }
                if (errors.isEmpty()) {
                    errors.put(0, List.of(syntax.output().strip()));
                }
                errors.forEach((line, messages) -> violations.add(new Violation(
                        file,
                        line,
                        "bash -n: " + String.join(": ", messages),
                        "Fix the shell syntax; `bash -n " + file + "` must pass")));
            } else if (shellcheck.isPresent()) {
                HostTool.Result lint = shellcheck.get().check(script, "--format=gcc");
                for (String line : lint.lines()) {
                    Matcher finding = SHELLCHECK_FINDING.matcher(line);
                    if (finding.matches()) {
                        violations.add(new Violation(
                                file,
                                Integer.parseInt(finding.group(1)),
                                "shellcheck " + finding.group(3) + " (column " + finding.group(2) + "): "
                                        + finding.group(4),
                                "Fix it, or silence it on the line above with `# shellcheck disable=SCxxxx` and a"
                                        + " reason"));
                    }
                }
            }
        }
        return new Outcome(scripts.size(), violations);
    }

    static boolean isShellScript(Path file) throws IOException {
        if (file.getFileName().toString().endsWith(".sh")) {
            return true;
        }
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(256);
        }
        String first = new String(head, StandardCharsets.ISO_8859_1)
                .lines()
                .findFirst()
                .orElse("");
        return SHEBANG.matcher(first).matches();
    }
}
