package ai.molecule.pip;

import ai.molecule.core.MoleculeException;

/** pip could not resolve or install a layer; the message names the requirement, the sources and the fix. */
public final class PipException extends MoleculeException {
    public PipException(String message) {
        super(message);
    }
}
