package ai.molecule.build;

/**
 * How to talk to one registry.
 *
 * @param credential {@code null} for anonymous access
 * @param allowInsecure allow plain HTTP (local and test registries only)
 */
public record RegistryAccess(Credential credential, boolean allowInsecure) {

    public static final RegistryAccess ANONYMOUS = new RegistryAccess(null, false);

    /** Credentials from a settings.xml server; the password is never printed. */
    public record Credential(String serverId, String username, String password) {
        @Override
        public String toString() {
            return "Credential[serverId=" + serverId + ", username=" + username + ", password=****]";
        }
    }
}
