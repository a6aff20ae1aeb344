package ai.molecule.build;

/**
 * How to talk to one registry.
 *
 * @param credential {@code null} for anonymous access
 * @param allowInsecure allow plain HTTP (local and test registries only)
 */
public record RegistryAccess(Credential credential, boolean allowInsecure) {

    public static final RegistryAccess ANONYMOUS = new RegistryAccess(null, false);

    /** Why a registry answered 401/403 for {@code reference}, and the fix; pulls and pushes say the same. */
    static String refused(String reference) {
        return "the registry refused the credentials for " + reference + " (HTTP 401/403). Put a <server> with the"
                + " registry host as <id> (or the id named by <registryServerId>) and a valid username and"
                + " password in ~/.m2/settings.xml; credentials never go in the POM";
    }

    /** Credentials from a settings.xml server; the password is never printed. */
    public record Credential(String serverId, String username, String password) {
        @Override
        public String toString() {
            return "Credential[serverId=" + serverId + ", username=" + username + ", password=****]";
        }
    }
}
