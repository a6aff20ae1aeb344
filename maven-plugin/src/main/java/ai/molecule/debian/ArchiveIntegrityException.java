package ai.molecule.debian;

import ai.molecule.core.MoleculeException;

/**
 * The archive served something the build refuses to use: metadata without a valid signature by a
 * trusted key, expired or for another suite, or a file whose size or SHA-256 differs from what
 * the signed metadata or the lock promise. Retrying the same mirror does not help.
 */
public final class ArchiveIntegrityException extends MoleculeException {
    public ArchiveIntegrityException(String message) {
        super(message);
    }
}
