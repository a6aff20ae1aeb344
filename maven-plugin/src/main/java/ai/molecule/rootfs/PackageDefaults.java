package ai.molecule.rootfs;

import ai.molecule.core.BuildLog;
import ai.molecule.rootfs.RootfsTree.Kind;
import ai.molecule.rootfs.RootfsTree.Node;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the postinsts of Essential packages do on a fresh install besides accounts, alternatives,
 * PAM and certificates: copy shipped defaults into {@code /etc} when absent (base-files, libc-bin,
 * readline-common), create base-files' directories and links, login's empty files, and dash's
 * {@code /bin/sh}. Each effect applies only when its package is being installed and only where no
 * package ships the path already, as the scripts check.
 */
final class PackageDefaults {
    /** A shipped default copied to its place when that is free: {@code cp -p source target}. */
    private record DefaultCopy(String packageName, String source, String target) {}

    private static final List<DefaultCopy> COPIES = List.of(
            new DefaultCopy("base-files", "/usr/share/base-files/dot.profile", "/root/.profile"),
            new DefaultCopy("base-files", "/usr/share/base-files/dot.bashrc", "/root/.bashrc"),
            new DefaultCopy("base-files", "/usr/share/base-files/profile", "/etc/profile"),
            new DefaultCopy("base-files", "/usr/share/base-files/motd", "/etc/motd"),
            new DefaultCopy("base-files", "/usr/share/base-files/info.dir", "/usr/share/info/dir"),
            new DefaultCopy("libc-bin", "/usr/share/libc-bin/nsswitch.conf", "/etc/nsswitch.conf"),
            new DefaultCopy("readline-common", "/usr/share/readline/inputrc", "/etc/inputrc"),
            new DefaultCopy("debianutils", "/usr/share/debianutils/shells", "/etc/shells"));

    /**
     * base-files' postinst turns its {@code /var/run} and {@code /var/lock} into links to {@code /run}
     * and {@code /run/lock}; the assembler treats them as aliases from the start.
     */
    static final Map<String, String> BASE_FILES_ALIASES = Map.of("/var/run", "/run", "/var/lock", "/run/lock");

    /** A file a postinst writes from a here-document when it is absent. */
    private record WrittenDefault(String packageName, String path, String content) {}

    private static final List<WrittenDefault> WRITTEN = List.of(
            new WrittenDefault(
                    "netbase",
                    "/etc/hosts",
                    "127.0.0.1\tlocalhost\n::1\t\tlocalhost ip6-localhost ip6-loopback\nff02::1\t\tip6-allnodes\n"
                            + "ff02::2\t\tip6-allrouters\n\n"),
            new WrittenDefault(
                    "netbase", "/etc/networks", "default\t\t0.0.0.0\nloopback\t127.0.0.0\nlink-local\t169.254.0.0\n\n"),
            new WrittenDefault(
                    "python3",
                    "/etc/python3/debian_config",
                    "[DEFAULT]\n# how to byte-compile (comma separated: standard, optimize)\nbyte-compile = standard\n"));

    private static final Pattern PYTHON_MINIMAL = Pattern.compile("python(3\\.\\d+)-minimal");

    static final String DIVERSIONS = "/var/lib/dpkg/diversions";

    private PackageDefaults() {}

    /**
     * @param freshDpkg no base image dpkg database exists, so files dpkg owns (diversions) may be
     *     written whole
     */
    static void apply(RootfsTree tree, Set<String> packages, boolean freshDpkg, BuildLog log) throws IOException {
        for (DefaultCopy copy : COPIES) {
            if (packages.contains(copy.packageName()) && !tree.exists(copy.target())) {
                Optional<Node> source = tree.get(copy.source());
                if (source.isPresent() && source.get().kind() == Kind.FILE) {
                    Node from = source.get();
                    tree.copyFile(from, copy.target(), from.mode(), from.uid(), from.gid());
                }
            }
        }
        for (WrittenDefault written : WRITTEN) {
            if (packages.contains(written.packageName()) && !tree.exists(written.path())) {
                tree.addFile(written.path(), written.content(), 0644);
            }
        }
        for (String name : packages) {
            // python3.X-minimal's postinst makes the site directory pip installs into.
            Matcher python = PYTHON_MINIMAL.matcher(name);
            if (python.matches()) {
                directory(tree, "/usr/local/lib/python" + python.group(1), 0755, "root");
                directory(tree, "/usr/local/lib/python" + python.group(1) + "/dist-packages", 0755, "root");
            }
        }
        if (packages.contains("base-files")) {
            baseFiles(tree);
        }
        if (packages.contains("libpam-modules")) {
            emptyFile(tree, "/etc/security/opasswd", 0600, "root");
            emptyFile(tree, "/etc/environment", 0644, "root");
        }
        if (packages.contains("tzdata") && !tree.exists("/etc/localtime")) {
            // tzdata's postinst asks debconf; a non-interactive install answers Etc/UTC.
            tree.addSymlink("/etc/localtime", "/usr/share/zoneinfo/Etc/UTC");
            tree.addFile("/etc/timezone", "Etc/UTC\n", 0644);
        }
        if (packages.contains("login")) {
            for (String path : List.of("/etc/subuid", "/etc/subgid", "/var/log/faillog")) {
                if (!tree.exists(path)) {
                    tree.addFile(path, "", 0644);
                }
            }
        }
        if (packages.contains("dash")) {
            dash(tree, freshDpkg, log);
        }
    }

    private static void baseFiles(RootfsTree tree) throws IOException {
        if (!tree.exists("/etc/dpkg/origins/default") && tree.exists("/etc/dpkg/origins/debian")) {
            tree.addSymlink("/etc/dpkg/origins/default", "debian");
        }
        for (String dir : List.of("/mnt", "/srv", "/opt", "/etc/opt", "/var/opt", "/media")) {
            directory(tree, dir, 0755, "root");
        }
        directory(tree, "/var/mail", 02775, "mail");
        if (!tree.exists("/var/spool/mail")) {
            tree.addSymlink("/var/spool/mail", "../mail");
        }
        directory(tree, "/run/lock", 01777, "root");
        for (String dir : List.of(
                "/usr/local",
                "/usr/local/share",
                "/usr/local/share/man",
                "/usr/local/bin",
                "/usr/local/games",
                "/usr/local/lib",
                "/usr/local/include",
                "/usr/local/sbin",
                "/usr/local/src",
                "/usr/local/etc")) {
            directory(tree, dir, 0755, "root");
        }
        if (!tree.exists("/usr/local/man")) {
            tree.addSymlink("/usr/local/man", "share/man");
        }
        emptyFile(tree, "/var/log/wtmp", 0664, "utmp");
        emptyFile(tree, "/var/log/btmp", 0660, "utmp");
        emptyFile(tree, "/var/log/lastlog", 0664, "utmp");
    }

    private static void dash(RootfsTree tree, boolean freshDpkg, BuildLog log) throws IOException {
        if (!tree.exists("/bin/sh") && tree.exists("/bin/dash")) {
            tree.addSymlink("/bin/sh", "dash");
            log.debug("/bin/sh → dash, as dash's postinst would link it");
        }
        String man = "/usr/share/man/man1/";
        if (!tree.exists(man + "sh.1.gz") && tree.exists(man + "dash.1.gz")) {
            tree.addSymlink(man + "sh.1.gz", "dash.1.gz");
        }
        if (freshDpkg && !tree.exists(DIVERSIONS)) {
            // dash's postinst diverts both (dpkg lists the newest diversion first).
            tree.addFile(
                    DIVERSIONS,
                    man + "sh.1.gz\n" + man + "sh.distrib.1.gz\ndash\n/bin/sh\n/bin/sh.distrib\ndash\n",
                    0644);
        }
    }

    private static void directory(RootfsTree tree, String path, int mode, String group) {
        if (!tree.exists(path)) {
            tree.put(new Node(
                    tree.aliases().lookup(path), Kind.DIRECTORY, mode, 0, 0, "root", group, null, null, 0, ""));
        }
    }

    private static void emptyFile(RootfsTree tree, String path, int mode, String group) throws IOException {
        if (!tree.exists(path)) {
            ContentSpool.Blob empty = tree.spool().store(new byte[0]);
            tree.put(new Node(
                    tree.aliases().lookup(path),
                    Kind.FILE,
                    mode,
                    0,
                    0,
                    "root",
                    group,
                    empty,
                    null,
                    tree.newInode(),
                    ""));
        }
    }
}
