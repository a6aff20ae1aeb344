package ai.molecule.image;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/**
 * The Debian part of an image: which archive, suite and packages.
 *
 * @param archive main archive; {@code <suite>} and {@code <suite>-updates} come from here
 * @param securityArchive where {@code <suite>-security} comes from
 * @param suite codename, e.g. {@code bookworm} or {@code trixie}
 * @param packages requested packages, {@code name} or {@code name=version}
 * @param excludes packages never installed, even when something depends on them (the
 *     dependency must then be met by an alternative)
 * @param includeRequired add the Essential / Priority: required set a minimal Debian needs
 * @param keyrings extra trusted OpenPGP keyrings (armored or binary); Debian's keys are built in
 * @param allowExpiredMetadata accept an InRelease past its {@code Valid-Until} (a frozen snapshot
 *     mirror); it changes what is accepted, never what is installed, so no lock or key covers it
 * @param addedByWorkspace the names among {@code packages} that {@code <workspace>true</workspace>}
 *     added (its assets run with them) and the template did not list itself
 */
public record DebianSpec(
        URI archive,
        URI securityArchive,
        String suite,
        List<String> components,
        String architecture,
        List<String> packages,
        List<String> excludes,
        boolean includeRequired,
        List<Path> keyrings,
        boolean allowExpiredMetadata,
        List<String> addedByWorkspace) {

    public static final URI DEFAULT_ARCHIVE = URI.create("http://deb.debian.org/debian/");
    public static final URI DEFAULT_SECURITY_ARCHIVE = URI.create("http://deb.debian.org/debian-security/");

    /** {@code packages} from the suite's main component for amd64 on deb.debian.org, with the required set. */
    public static DebianSpec of(String suite, List<String> packages) {
        return new DebianSpec(
                DEFAULT_ARCHIVE,
                DEFAULT_SECURITY_ARCHIVE,
                suite,
                List.of("main"),
                "amd64",
                packages,
                List.of(),
                true,
                List.of());
    }

    /** A spec that refuses expired archive metadata, as apt does by default, with nothing added by the workspace. */
    public DebianSpec(
            URI archive,
            URI securityArchive,
            String suite,
            List<String> components,
            String architecture,
            List<String> packages,
            List<String> excludes,
            boolean includeRequired,
            List<Path> keyrings) {
        this(
                archive,
                securityArchive,
                suite,
                components,
                architecture,
                packages,
                excludes,
                includeRequired,
                keyrings,
                false,
                List.of());
    }

    public DebianSpec {
        addedByWorkspace = List.copyOf(addedByWorkspace);
        components = List.copyOf(components);
        packages = List.copyOf(packages);
        excludes = List.copyOf(excludes);
        keyrings = List.copyOf(keyrings);
    }

    /**
     * The suites read: security, updates, the release. The highest version of a package in any of
     * them wins, as in apt (point releases supersede older security builds); this order only breaks
     * ties between equal versions.
     */
    public List<String> suites() {
        return List.of(suite + "-security", suite + "-updates", suite);
    }
}
