package ai.molecule.sbom;

import com.github.packageurl.MalformedPackageURLException;
import com.github.packageurl.PackageURL;
import com.github.packageurl.PackageURLBuilder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * A package in the image, for scanners and audits; fields a type does not know are {@code null}.
 *
 * @param type {@code deb}, {@code pypi} or {@code npm}
 * @param architecture Debian's, for {@code deb}
 * @param distro the Debian suite, for {@code deb}
 * @param sha256 of the package file that was installed ({@code deb}, {@code pypi})
 * @param integrity the tarball's Subresource Integrity string ({@code npm})
 * @param license the licence the package declares: npm's {@code license}, a Debian package's DEP-5
 *     copyright file, a wheel's METADATA (see {@link LayerLicences}); an SPDX expression where it is one
 * @param download where the package file was fetched from, when that is a URL
 */
public record Component(
        String type,
        String name,
        String version,
        String architecture,
        String distro,
        String sha256,
        String integrity,
        String license,
        String download) {

    public static Component deb(
            String name, String version, String architecture, String suite, String sha256, String download) {
        return new Component("deb", name, version, architecture, suite, sha256, null, null, download);
    }

    public static Component pypi(String name, String version, String sha256, String download) {
        return new Component("pypi", name, version, null, null, sha256, null, null, urlOrNull(download));
    }

    /** This component, declaring {@code license} (a blank one declares none). */
    public Component withLicense(String license) {
        return new Component(
                type, name, version, architecture, distro, sha256, integrity, emptyToNull(license), download);
    }

    public static Component npm(String name, String version, String integrity, String license, String download) {
        return new Component(
                "npm", name, version, null, null, null, integrity, emptyToNull(license), urlOrNull(download));
    }

    private static String emptyToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    /** A find-links path (relative to the project) is no download location a reader of the SBOM can use. */
    private static String urlOrNull(String location) {
        return location != null && (location.startsWith("https://") || location.startsWith("http://"))
                ? location
                : null;
    }

    /** A package hash: algorithm as the formats spell it ({@code SHA-256}, {@code SHA-512}, {@code SHA-1}) and hex. */
    public record Hash(String algorithm, String hex) {}

    /**
     * The package URL: {@code pkg:deb/debian/curl@7.88.1-10?arch=amd64&distro=bookworm}, {@code
     * pkg:pypi/pyyaml@6.0}, {@code pkg:npm/%40anthropic-ai/claude-code@2.1.197}.
     */
    public String purl() {
        try {
            PackageURLBuilder purl = PackageURLBuilder.aPackageURL().withVersion(version);
            switch (type) {
                case "deb" -> {
                    purl.withType(PackageURL.StandardTypes.DEBIAN)
                            .withNamespace("debian")
                            .withName(name);
                    if (architecture != null) {
                        purl.withQualifier("arch", architecture);
                    }
                    if (distro != null) {
                        purl.withQualifier("distro", distro);
                    }
                }
                case "pypi" ->
                    purl.withType(PackageURL.StandardTypes.PYPI)
                            .withName(name.toLowerCase(Locale.ROOT).replace('_', '-'));
                case "npm" -> {
                    int slash = name.indexOf('/');
                    purl.withType(PackageURL.StandardTypes.NPM);
                    if (name.startsWith("@") && slash > 0) {
                        purl.withNamespace(name.substring(0, slash)).withName(name.substring(slash + 1));
                    } else {
                        purl.withName(name);
                    }
                }
                default -> throw new IllegalStateException("no package URL type for '" + type + "'");
            }
            return purl.build().canonicalize();
        } catch (MalformedPackageURLException e) {
            throw new IllegalStateException("package " + name + " " + version + " has no valid package URL", e);
        }
    }

    /** The hashes the package is known by: its file's SHA-256, or the algorithms of its integrity string. */
    public List<Hash> hashes() {
        List<Hash> hashes = new ArrayList<>();
        if (sha256 != null) {
            hashes.add(new Hash("SHA-256", sha256));
        }
        if (integrity != null) {
            for (String entry : integrity.trim().split("\\s+")) {
                int dash = entry.indexOf('-');
                String algorithm = switch (dash < 0 ? "" : entry.substring(0, dash)) {
                    case "sha512" -> "SHA-512";
                    case "sha384" -> "SHA-384";
                    case "sha256" -> "SHA-256";
                    case "sha1" -> "SHA-1";
                    default -> null;
                };
                if (algorithm != null) {
                    String digest = entry.substring(dash + 1).replaceAll("\\?.*$", "");
                    hashes.add(new Hash(
                            algorithm,
                            HexFormat.of().formatHex(Base64.getDecoder().decode(digest))));
                }
            }
        }
        return hashes;
    }
}
