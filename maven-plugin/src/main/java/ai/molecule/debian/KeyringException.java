package ai.molecule.debian;

import ai.molecule.core.MoleculeException;

/** An extra keyring cannot be used: missing, unreadable, or not an OpenPGP public keyring. */
public final class KeyringException extends MoleculeException {
    private final String problem;
    private final String fix;

    KeyringException(String problem, String fix) {
        super(problem + ". " + fix);
        this.problem = problem;
        this.fix = fix;
    }

    public String problem() {
        return problem;
    }

    public String fix() {
        return fix;
    }
}
