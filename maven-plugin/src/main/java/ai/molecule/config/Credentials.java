package ai.molecule.config;

import ai.molecule.core.MoleculeException;
import java.util.Optional;

/**
 * The logins of settings.xml, looked up by {@code <server>} id and decrypted: the only place
 * credentials come from (never the POM). The Maven goals adapt Maven's settings to it.
 */
@FunctionalInterface
public interface Credentials {

    /** No server is configured: every lookup is empty. */
    Credentials NONE = id -> Optional.empty();

    /**
     * The server {@code id}, decrypted; empty when settings.xml has none.
     *
     * @throws MoleculeException its password cannot be decrypted
     */
    Optional<Login> server(String id) throws MoleculeException;

    /** A username (may be {@code null}) and password or token; never printed. */
    record Login(String id, String username, String password) {
        @Override
        public String toString() {
            return "Login[id=" + id + ", username=" + username + ", password=****]";
        }
    }
}
