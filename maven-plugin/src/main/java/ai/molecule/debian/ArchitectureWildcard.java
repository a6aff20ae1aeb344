package ai.molecule.debian;

/**
 * Matches a Debian architecture against an entry of an {@code [arch list]}: a name ({@code amd64}),
 * {@code any}, or an {@code os-cpu} wildcard ({@code linux-any}, {@code any-amd64}).
 */
final class ArchitectureWildcard {
    private ArchitectureWildcard() {}

    static boolean matches(String architecture, String pattern) {
        if (pattern.equals("any") || pattern.equals(architecture)) {
            return true;
        }
        int dash = pattern.indexOf('-');
        if (dash < 0) {
            return false;
        }
        // A plain name like amd64 is Linux on that CPU; kfreebsd-amd64 names its OS.
        int archDash = architecture.indexOf('-');
        String os = archDash < 0 ? "linux" : architecture.substring(0, archDash);
        String cpu = architecture.substring(archDash + 1);
        String osPattern = pattern.substring(0, dash);
        String cpuPattern = pattern.substring(dash + 1);
        return (osPattern.equals("any") || osPattern.equals(os))
                && (cpuPattern.equals("any") || cpuPattern.equals(cpu));
    }
}
