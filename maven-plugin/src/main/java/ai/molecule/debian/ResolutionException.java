package ai.molecule.debian;

import ai.molecule.core.MoleculeException;
import java.util.List;

/**
 * The Debian packages cannot be resolved. Every problem found is reported at once, numbered when
 * there are several, each with the chain of dependencies that led to it and a fix.
 */
public final class ResolutionException extends MoleculeException {
    private final List<String> problems;

    public ResolutionException(List<String> problems) {
        super(numbered("The Debian packages cannot be resolved", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
