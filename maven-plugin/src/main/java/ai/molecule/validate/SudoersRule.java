package ai.molecule.validate;

import ai.molecule.core.BuildLog;
import ai.molecule.core.LayerEntry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Every entry under {@code /etc/sudoers.d/} is a regular file that sudo reads: owned by root, mode
 * 0440, named without '.' or '~', and parsing (with visudo too when the build machine has it).
 */
public final class SudoersRule implements Rule {
    static final String DIRECTORY = "/etc/sudoers.d/";

    @Override
    public String name() {
        return "sudoers";
    }

    @Override
    public Outcome check(Template template, BuildLog log) throws IOException {
        Optional<HostTool> visudo = HostTool.find("visudo");
        List<Violation> violations = new ArrayList<>();
        int checked = 0;
        for (LayerEntry entry : template.layers().stream()
                .flatMap(layer -> layer.entries().stream())
                .filter(entry -> entry.path().startsWith(DIRECTORY))
                .toList()) {
            checked++;
            String file = entry.source() != null ? template.display(entry.source()) : entry.path();
            String name = entry.path().substring(DIRECTORY.length());
            if (entry.type() != LayerEntry.Type.FILE) {
                violations.add(new Violation(
                        file,
                        0,
                        "sudoers drop-in " + entry.path() + " is a "
                                + entry.type().name().toLowerCase() + "; sudo reads only regular files there",
                        "Put a regular file at " + entry.path()));
                continue;
            }
            if (name.contains(".") || name.endsWith("~")) {
                violations.add(new Violation(
                        file,
                        0,
                        "sudoers drop-in " + entry.path() + " has '.' or '~' in its name; sudo skips such files"
                                + " in /etc/sudoers.d",
                        "Rename it without '.' and '~', e.g. " + DIRECTORY + name.replaceAll("[.~]", "-")));
            }
            if (entry.uid() != 0) {
                violations.add(new Violation(
                        file,
                        0,
                        "sudoers drop-in " + entry.path() + " is owned by uid " + entry.uid()
                                + "; sudo ignores it unless root owns it",
                        "Add " + permission(entry.path()) + " under <permissions>"));
            }
            if (entry.mode() != 0440) {
                violations.add(new Violation(
                        file,
                        0,
                        "sudoers drop-in " + entry.path() + " is mode " + octal(entry.mode())
                                + "; sudo ignores it unless it is 0440 (a file from the template gets 0644, or 0755"
                                + " when executable, unless a <permission> sets its mode)",
                        "Add " + permission(entry.path()) + " under <permissions>"));
            }
            List<String> lines = Files.readAllLines(entry.source(), StandardCharsets.UTF_8);
            for (SudoersParser.Problem problem : SudoersParser.parse(lines)) {
                violations.add(new Violation(
                        file,
                        problem.line(),
                        "sudoers syntax: " + problem.message(),
                        "Fix the line; `visudo -cf " + file + "` checks it"));
            }
            if (visudo.isPresent()) {
                HostTool.Result result = visudo.get().check(entry.source(), "-cf");
                if (result.exitCode() != 0) {
                    violations.add(new Violation(
                            file,
                            0,
                            "visudo -cf rejects it: "
                                    + String.join(" ", result.lines()).strip(),
                            "Fix the file until `visudo -cf " + file + "` reports it parsed OK"));
                }
            }
        }
        if (checked > 0 && visudo.isEmpty()) {
            log.debug("visudo is not installed; sudoers drop-ins are checked by the built-in parser only");
        }
        return new Outcome(checked, violations);
    }

    private static String permission(String path) {
        return "<permission><path>" + path + "</path><mode>0440</mode><owner>0:0</owner></permission>";
    }

    private static String octal(int mode) {
        return String.format("%04o", mode);
    }
}
