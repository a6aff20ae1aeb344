package ai.molecule.rootfs;

import ai.molecule.image.DebianSpec;
import java.net.URI;
import java.util.List;
import java.util.Objects;

/**
 * Where apt inside the image fetches from, written as {@code /etc/apt/sources.list.d/debian.sources}
 * in the deb822 form Debian's own images use, so that {@code apt-get update && apt-get install}
 * works in the container.
 *
 * @param archive main archive: {@code <suite>} and {@code <suite>-updates}
 * @param securityArchive {@code <suite>-security}
 */
public record AptSources(URI archive, URI securityArchive, String suite, List<String> components) {
    static final String PATH = "/etc/apt/sources.list.d/debian.sources";
    static final String KEYRING = "/usr/share/keyrings/debian-archive-keyring.gpg";

    public AptSources {
        Objects.requireNonNull(archive, "archive");
        Objects.requireNonNull(securityArchive, "securityArchive");
        Objects.requireNonNull(suite, "suite");
        components = List.copyOf(components);
        if (components.isEmpty()) {
            throw new IllegalArgumentException("apt sources need at least one component, e.g. main");
        }
    }

    /** The sources of the archive the packages were resolved from. */
    public static AptSources of(DebianSpec spec) {
        return new AptSources(spec.archive(), spec.securityArchive(), spec.suite(), spec.components());
    }

    /** The file text; {@code Signed-By} only when the image has Debian's keyring to point at. */
    String text(boolean keyringPresent) {
        String components = String.join(" ", this.components);
        String signedBy = keyringPresent ? "Signed-By: " + KEYRING + "\n" : "";
        return "Types: deb\n"
                + "URIs: " + withoutTrailingSlash(archive) + "\n"
                + "Suites: " + suite + " " + suite + "-updates\n"
                + "Components: " + components + "\n"
                + signedBy
                + "\n"
                + "Types: deb\n"
                + "URIs: " + withoutTrailingSlash(securityArchive) + "\n"
                + "Suites: " + suite + "-security\n"
                + "Components: " + components + "\n"
                + signedBy;
    }

    private static String withoutTrailingSlash(URI uri) {
        String text = uri.toString();
        return text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
    }
}
