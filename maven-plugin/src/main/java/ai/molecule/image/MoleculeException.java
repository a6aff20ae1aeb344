package ai.molecule.image;

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
}
