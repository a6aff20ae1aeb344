package ai.molecule.config;

import ai.molecule.core.MoleculeException;

/** A POM element holds a value the build cannot use; the message names the element and the fix. */
public final class InvalidConfigurationException extends MoleculeException {
    private final String element;

    public InvalidConfigurationException(String element, String problem, String fix) {
        super("<" + element + ">: " + problem + ". " + fix);
        this.element = element;
    }

    /** The POM element to fix, without angle brackets, e.g. {@code base} or {@code permissions}. */
    public String element() {
        return element;
    }
}
