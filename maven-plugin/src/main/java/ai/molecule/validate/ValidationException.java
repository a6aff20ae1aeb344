package ai.molecule.validate;

import ai.molecule.core.MoleculeException;
import java.util.List;

/** The template breaks one or more rules; the message lists every violation, numbered. */
public final class ValidationException extends MoleculeException {
    private final List<Violation> violations;

    public ValidationException(String header, List<Violation> violations) {
        super(numbered(header, violations.stream().map(Violation::describe).toList()));
        this.violations = List.copyOf(violations);
    }

    public List<Violation> violations() {
        return violations;
    }
}
