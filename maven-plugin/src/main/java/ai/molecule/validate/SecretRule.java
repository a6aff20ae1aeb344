package ai.molecule.validate;

import ai.molecule.core.BuildLog;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * No credential-shaped string in the template's files: the file layers' sources and everything under
 * the project's {@code src/}. build-image runs {@link SecretScanner#scanTar} over the layers it
 * builds from template files as well.
 */
public final class SecretRule implements Rule {
    static final String FIX =
            "Remove it from the template and pass it at run time (an environment variable or a mounted secret);"
                    + " revoke it if it was ever committed";

    @Override
    public String name() {
        return "secrets";
    }

    @Override
    public Outcome check(Template template, BuildLog log) throws IOException {
        List<Violation> violations = new ArrayList<>();
        int checked = 0;
        for (Path file : template.filesToScan()) {
            checked++;
            try (InputStream in = Files.newInputStream(file)) {
                for (SecretScanner.Finding finding : SecretScanner.scan(in)) {
                    violations.add(violation(template.display(file), finding));
                }
            }
        }
        return new Outcome(checked, violations);
    }

    /** The violation of one finding: its kind and redacted prefix, never the value. */
    public static Violation violation(String file, SecretScanner.Finding finding) {
        return new Violation(file, finding.line(), "holds a " + finding.kind() + " (" + finding.redacted() + ")", FIX);
    }
}
