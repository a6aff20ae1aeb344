package ai.molecule.core;

/**
 * A build failure the user can act on: the message says what was wrong, where (POM element, file
 * or line) and how to fix it.
 */
public class MoleculeException extends Exception {
    public MoleculeException(String message) {
        super(message);
    }

    public MoleculeException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * One problem as it is; several under {@code header}, numbered, one per line, so a run reports
     * everything it found at once.
     */
    protected static String numbered(String header, java.util.List<String> problems) {
        if (problems.size() == 1) {
            return problems.get(0);
        }
        StringBuilder text = new StringBuilder(header + " (" + problems.size() + " problems):");
        for (int i = 0; i < problems.size(); i++) {
            text.append("\n  ").append(i + 1).append(". ").append(problems.get(i));
        }
        return text.toString();
    }
}
