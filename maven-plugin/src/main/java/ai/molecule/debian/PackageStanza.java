package ai.molecule.debian;

import java.net.URI;
import java.util.Map;

/**
 * One binary package paragraph of a Packages index, with where it came from.
 *
 * @param fields the paragraph, field names as written (e.g. {@code Package}, {@code Depends})
 * @param suite e.g. {@code bookworm-security}
 * @param archive base URL its {@code Filename} is relative to, e.g. {@code http://deb.debian.org/debian-security/}
 */
public record PackageStanza(Map<String, String> fields, String suite, URI archive) {

    public PackageStanza {
        fields = Map.copyOf(fields);
    }

    public String name() {
        return fields.get("Package");
    }

    public String version() {
        return fields.get("Version");
    }

    public String architecture() {
        return fields.get("Architecture");
    }

    /** An absent field is {@code ""}. */
    public String field(String name) {
        return fields.getOrDefault(name, "");
    }

    public LockedPackage lock() {
        return new LockedPackage(
                name(),
                version(),
                architecture(),
                archive,
                fields.get("Filename"),
                Long.parseLong(fields.get("Size")),
                fields.get("SHA256"));
    }
}
