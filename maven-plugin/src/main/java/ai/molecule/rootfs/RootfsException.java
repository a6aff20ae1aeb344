package ai.molecule.rootfs;

import ai.molecule.core.MoleculeException;
import java.util.List;

/**
 * The packages, base and declarations cannot make one consistent root filesystem. The message lists
 * every problem found, numbered, each with what to change.
 */
public final class RootfsException extends MoleculeException {
    private final List<String> problems;

    public RootfsException(String problem) {
        this(List.of(problem));
    }

    public RootfsException(List<String> problems) {
        super(numbered("The root filesystem cannot be assembled", problems));
        this.problems = List.copyOf(problems);
    }

    /** Each problem on its own, in the order found. */
    public List<String> problems() {
        return problems;
    }
}
