package ai.molecule.validate;

import ai.molecule.core.BuildLog;
import java.io.IOException;
import java.util.List;

/** One check of a template; it returns every violation it finds rather than stopping at the first. */
public interface Rule {

    /** Shown in the goal's one-line summary, e.g. {@code sudoers}. */
    String name();

    Outcome check(Template template, BuildLog log) throws IOException;

    /** How many files the rule looked at, and what was wrong with them. */
    record Outcome(int filesChecked, List<Violation> violations) {
        public Outcome {
            violations = List.copyOf(violations);
        }
    }
}
