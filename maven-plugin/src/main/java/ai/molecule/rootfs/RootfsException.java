package ai.molecule.rootfs;

import ai.molecule.image.MoleculeException;
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
        super(message(problems));
        this.problems = List.copyOf(problems);
    }

    /** Each problem on its own, in the order found. */
    public List<String> problems() {
        return problems;
    }

    private static String message(List<String> problems) {
        if (problems.size() == 1) {
            return problems.get(0);
        }
        StringBuilder text =
                new StringBuilder("The root filesystem cannot be assembled (" + problems.size() + " problems):");
        for (int i = 0; i < problems.size(); i++) {
            text.append("\n  ").append(i + 1).append(". ").append(problems.get(i));
        }
        return text.toString();
    }
}
