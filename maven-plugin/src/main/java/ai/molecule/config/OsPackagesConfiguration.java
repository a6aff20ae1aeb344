package ai.molecule.config;

import ai.molecule.debian.KeyringException;
import ai.molecule.debian.TrustedKeys;
import ai.molecule.image.Account;
import ai.molecule.image.DebianSpec;
import ai.molecule.image.Group;
import ai.molecule.image.OsPackages;
import ai.molecule.workspace.WorkspaceAssets;
import java.io.File;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** {@code <debian>}, {@code <accounts>}, {@code <groups>} and {@code <caCertificates>}: the Debian layer's inputs. */
final class OsPackagesConfiguration {
    /** adduser's default NAME_REGEX, at most 32 characters, as the image's Account and Group require. */
    private static final Pattern NAME = Pattern.compile("[a-z_][-a-z0-9_]{0,31}");

    private OsPackagesConfiguration() {}

    /** {@code null} without {@code <debian>}. */
    static OsPackages of(RawConfiguration raw) throws InvalidConfigurationException {
        Debian debian = raw.debian();
        if (debian == null) {
            if (raw.workspace()) {
                throw new InvalidConfigurationException(
                        "workspace",
                        "the workspace assets need the agent account and their packages, which come with the Debian"
                                + " layer, but no <debian> is declared",
                        "Declare <debian><suite>bookworm</suite></debian> (the workspace adds "
                                + String.join(" ", WorkspaceAssets.PACKAGES)
                                + " itself; list only the template's own packages), or set <workspace>false</workspace>");
            }
            if (!raw.accounts().isEmpty()
                    || !raw.groups().isEmpty()
                    || !raw.caCertificates().isEmpty()) {
                throw new InvalidConfigurationException(
                        "accounts",
                        "accounts, groups and CA certificates are written with the Debian layer, but no <debian> is"
                                + " declared",
                        "Declare <debian> with its <packages>, or add the files with <imageDirectory>");
            }
            return null;
        }
        List<String> own = debian.packages == null ? List.of() : debian.packages;
        List<String> added = raw.workspace() ? WorkspaceAssets.packagesMissingFrom(own) : List.of();
        List<String> packages = new ArrayList<>(own);
        packages.addAll(added);
        if (packages.isEmpty()) {
            throw new InvalidConfigurationException(
                    "debian><packages",
                    "no packages are listed",
                    "List the packages to install, e.g. <package>bash</package>");
        }
        DebianSpec spec = new DebianSpec(
                archive(debian.archive, "debian><archive"),
                archive(debian.securityArchive, "debian><securityArchive"),
                debian.suite,
                debian.components,
                raw.architecture(),
                packages,
                debian.excludes,
                debian.includeRequired,
                keyrings(debian.keyrings),
                debian.allowExpiredMetadata,
                added);
        List<Account> accounts = new ArrayList<>();
        for (int i = 0; i < raw.accounts().size(); i++) {
            accounts.add(account(raw.accounts().get(i), "accounts><account #" + (i + 1)));
        }
        List<Group> groups = new ArrayList<>();
        for (int i = 0; i < raw.groups().size(); i++) {
            groups.add(group(raw.groups().get(i), "groups><group #" + (i + 1)));
        }
        if (raw.workspace()) {
            if (accounts.stream().noneMatch(a -> a.name().equals(WorkspaceAssets.AGENT.name()))) {
                accounts.add(WorkspaceAssets.AGENT);
            }
            if (groups.stream().noneMatch(g -> g.name().equals(WorkspaceAssets.DOCKER.name()))) {
                groups.add(WorkspaceAssets.DOCKER);
            }
        }
        List<Path> certificates = new ArrayList<>();
        for (Path certificate : raw.caCertificates()) {
            if (!Files.isReadable(certificate)) {
                throw new InvalidConfigurationException(
                        "caCertificates><caCertificate",
                        "CA certificate " + certificate + " does not exist or is not readable",
                        "Point it at a PEM file, e.g. the corporate proxy's CA that SSL_CERT_FILE names");
            }
            certificates.add(certificate);
        }
        return new OsPackages(spec, accounts, groups, certificates);
    }

    private static Account account(UnixAccount account, String element) throws InvalidConfigurationException {
        if (account == null
                || account.name == null
                || !NAME.matcher(account.name).matches()
                || account.uid == null) {
            throw new InvalidConfigurationException(
                    element,
                    "an account needs a lower-case <name> and a numeric <uid> (got name '"
                            + (account == null ? null : account.name) + "', uid "
                            + (account == null ? null : account.uid) + ")",
                    "Declare e.g. <name>agent</name><uid>1000</uid>");
        }
        int gid = account.gid == null ? account.uid : account.gid;
        if (account.uid < 0 || gid < 0) {
            throw new InvalidConfigurationException(
                    element + "><" + (account.uid < 0 ? "uid" : "gid"),
                    "account " + account.name + " has uid " + account.uid + " and gid " + gid
                            + "; ids are never negative",
                    "Use ids from 0, e.g. 1000 for the workspace's agent");
        }
        String home = account.home == null ? "/home/" + account.name : account.home;
        ContainerConfiguration.absolute(element + "><home", home, "/home/" + account.name);
        ContainerConfiguration.absolute(element + "><shell", account.shell, "/bin/bash");
        for (String group : account.groups) {
            if (group == null || !NAME.matcher(group).matches()) {
                throw new InvalidConfigurationException(
                        element + "><groups",
                        "account " + account.name + " lists group '" + group + "', which is not a group name",
                        "Use lower-case letters, digits, '_' and '-', at most 32, e.g. docker");
            }
        }
        return new Account(account.name, account.uid, gid, home, account.shell, account.groups);
    }

    private static Group group(UnixGroup group, String element) throws InvalidConfigurationException {
        if (group == null
                || group.name == null
                || !NAME.matcher(group.name).matches()
                || group.gid == null
                || group.gid < 0) {
            throw new InvalidConfigurationException(
                    element,
                    "a group needs a lower-case <name> and a numeric <gid> from 0 (got name '"
                            + (group == null ? null : group.name) + "', gid " + (group == null ? null : group.gid)
                            + ")",
                    "Declare e.g. <name>docker</name><gid>999</gid>");
        }
        return new Group(group.name, group.gid);
    }

    private static List<Path> keyrings(List<File> files) throws InvalidConfigurationException {
        List<Path> keyrings = files.stream().map(File::toPath).toList();
        if (keyrings.isEmpty()) {
            // Nothing to check: the built-in keys are parsed when a build first talks to the archive.
            return keyrings;
        }
        try {
            // Parsed now only to report a bad keyring before anything runs; the build reads them again.
            TrustedKeys.withKeyrings(keyrings);
        } catch (KeyringException e) {
            throw new InvalidConfigurationException("debian><keyrings", e.problem(), e.fix());
        }
        return keyrings;
    }

    private static URI archive(String value, String element) throws InvalidConfigurationException {
        try {
            URI uri = URI.create(value.endsWith("/") ? value : value + "/");
            if (uri.getScheme() == null || !uri.getScheme().matches("https?") || uri.getHost() == null) {
                throw new IllegalArgumentException("not http(s)");
            }
            return uri;
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new InvalidConfigurationException(
                    element,
                    "'" + value + "' is not an http(s) URL",
                    "Write the archive's base URL, e.g. http://deb.debian.org/debian/");
        }
    }
}
