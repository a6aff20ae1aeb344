package ai.molecule.image;

import java.nio.file.Path;
import java.util.List;

/**
 * The operating-system layer: Debian packages installed exactly as the image's lock names them,
 * with the accounts and CA certificates the maintainer scripts cannot add daemonless.
 *
 * @param caCertificates extra PEM CA certificates appended to the image's CA bundle
 */
public record OsPackages(DebianSpec debian, List<Account> accounts, List<Group> groups, List<Path> caCertificates) {

    public OsPackages {
        accounts = List.copyOf(accounts);
        groups = List.copyOf(groups);
        caCertificates = List.copyOf(caCertificates);
    }
}
