package ai.molecule.debian;

import ai.molecule.image.MoleculeException;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The Debian packages cannot be resolved. Every problem found is reported at once, numbered when
 * there are several, each with the chain of dependencies that led to it and a fix.
 */
public final class ResolutionException extends MoleculeException {
    private final List<String> problems;

    public ResolutionException(List<String> problems) {
        super(message(problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }

    private static String message(List<String> problems) {
        if (problems.size() == 1) {
            return problems.get(0);
        }
        return problems.size() + " problems resolving the Debian packages:\n"
                + String.join(
                        "\n",
                        IntStream.range(0, problems.size())
                                .mapToObj(i -> (i + 1) + ". " + problems.get(i))
                                .toList());
    }
}
