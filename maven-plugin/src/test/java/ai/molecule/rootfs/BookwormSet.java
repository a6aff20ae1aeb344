package ai.molecule.rootfs;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A real Debian bookworm package set — the Essential/required packages plus sudo, ca-certificates
 * and apt — downloaded by apt-get in a sandbox of its own (sources, lists, empty dpkg status, the
 * repository's pinned archive keys), so neither the host's apt configuration nor its installed
 * packages shape the closure. The .debs are kept under target/ and reused by later runs.
 */
final class BookwormSet {
    static final List<String> PACKAGES = List.of(
            "apt",
            "base-files",
            "base-passwd",
            "bash",
            "bsdutils",
            "coreutils",
            "dash",
            "debconf",
            "debianutils",
            "diffutils",
            "dpkg",
            "findutils",
            "grep",
            "gzip",
            "hostname",
            "init-system-helpers",
            "libc-bin",
            "login",
            "mawk",
            "ncurses-base",
            "ncurses-bin",
            "passwd",
            "perl-base",
            "sed",
            "sysvinit-utils",
            "tar",
            "util-linux",
            "usr-is-merged",
            "libpam-runtime",
            "libpam-modules",
            "libpam-modules-bin",
            "sudo",
            "ca-certificates");

    private static final List<String> KEYS = List.of(
            "debian-archive-bookworm-automatic.asc",
            "debian-archive-bookworm-security-automatic.asc",
            "debian-archive-bookworm-stable.asc");

    private BookwormSet() {}

    /** The .debs of the closure of {@link #PACKAGES}, sorted by file name. */
    static List<Path> download(Path sandbox) throws IOException {
        Path archives = sandbox.resolve("archives");
        Files.createDirectories(archives.resolve("partial"));
        Files.createDirectories(sandbox.resolve("lists/partial"));
        Files.createDirectories(sandbox.resolve("cache"));
        Files.createDirectories(sandbox.resolve("sources.list.d"));
        Path trusted = Files.createDirectories(sandbox.resolve("trusted.gpg.d"));
        for (String key : KEYS) {
            try (InputStream in = BookwormSet.class.getResourceAsStream("/ai/molecule/debian/keys/" + key)) {
                if (in == null) {
                    fail("the pinned key %s is missing from the class path", key);
                }
                Files.write(trusted.resolve(key), in.readAllBytes());
            }
        }
        Path status = sandbox.resolve("status");
        Files.writeString(status, "");
        Files.writeString(sandbox.resolve("sources.list"), """
                deb http://deb.debian.org/debian bookworm main
                deb http://deb.debian.org/debian bookworm-updates main
                deb http://deb.debian.org/debian-security bookworm-security main
                """);
        List<String> options = List.of(
                "-o", "Dir::Etc::SourceList=" + sandbox.resolve("sources.list"),
                "-o", "Dir::Etc::SourceParts=" + sandbox.resolve("sources.list.d"),
                "-o", "Dir::Etc::Trusted=" + sandbox.resolve("trusted.gpg"),
                "-o", "Dir::Etc::TrustedParts=" + trusted,
                "-o", "Dir::Etc::Preferences=" + sandbox.resolve("preferences"),
                "-o", "Dir::Etc::PreferencesParts=" + sandbox.resolve("sources.list.d"),
                "-o", "Dir::State::Lists=" + sandbox.resolve("lists"),
                "-o", "Dir::State::status=" + status,
                "-o", "Dir::Cache=" + sandbox.resolve("cache"),
                "-o", "Dir::Cache::archives=" + archives,
                "-o", "Debug::NoLocking=1",
                "-o", "APT::Architecture=amd64",
                "-o", "APT::Install-Recommends=false");
        try {
            apt(options, List.of("update"));
            List<String> install = new ArrayList<>(List.of("install", "--download-only", "--yes"));
            install.addAll(PACKAGES);
            apt(options, install);
        } catch (AssertionError e) {
            throw new AssertionError(
                    "Downloading the bookworm package set needs apt-get (a Debian or Ubuntu build"
                            + " host) and HTTP access to deb.debian.org: " + e.getMessage(),
                    e);
        }
        try (Stream<Path> files = Files.list(archives)) {
            return files.filter(p -> p.toString().endsWith(".deb")).sorted().toList();
        }
    }

    private static void apt(List<String> options, List<String> arguments) throws IOException {
        List<String> command = new ArrayList<>();
        command.add("apt-get");
        command.add("-q");
        command.addAll(options);
        command.addAll(arguments);
        TestDeb.run(command);
    }
}
