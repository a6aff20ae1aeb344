package ai.molecule.debian;

import java.net.URI;

/**
 * One package of a resolved closure, exactly as {@code molecule.lock} records it: enough to
 * download the same bytes again and to refuse any others.
 *
 * @param archive base URL of the archive, e.g. {@code http://deb.debian.org/debian/}
 * @param path the archive path ({@code Filename} of the index), e.g. {@code pool/main/s/sudo/sudo_1.9.13p3-1+deb12u1_amd64.deb}
 * @param sha256 lower-case hex SHA-256 of the .deb
 */
public record LockedPackage(
        String name, String version, String architecture, URI archive, String path, long size, String sha256) {

    public URI url() {
        return archive.resolve(path);
    }
}
