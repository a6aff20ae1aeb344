package ai.molecule.debian;

import ai.molecule.core.MoleculeException;

/**
 * The archive does not offer what the Debian inputs ask for (a suite, architecture or component),
 * or the lock names a package in a way no archive can serve; found only once the archive answers.
 */
public final class ArchiveMismatchException extends MoleculeException {
    ArchiveMismatchException(String message) {
        super(message);
    }
}
