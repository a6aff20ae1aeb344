package ai.molecule.rootfs;

import ai.molecule.image.BuildLog;
import ai.molecule.rootfs.RootfsTree.Kind;
import ai.molecule.rootfs.RootfsTree.Node;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

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

    private PackageDefaults() {}

    static void apply(RootfsTree tree, Set<String> packages, BuildLog log) throws IOException {
        for (DefaultCopy copy : COPIES) {
            if (packages.contains(copy.packageName()) && !tree.exists(copy.target())) {
                Optional<Node> source = tree.get(copy.source());
                if (source.isPresent() && source.get().kind() == Kind.FILE) {
                    Node from = source.get();
                    tree.copyFile(from, copy.target(), from.mode(), from.uid(), from.gid());
                }
            }
        }
        if (packages.contains("base-files")) {
            baseFiles(tree);
        }
        if (packages.contains("login")) {
            for (String path : List.of("/etc/subuid", "/etc/subgid", "/var/log/faillog")) {
                if (!tree.exists(path)) {
                    tree.addFile(path, "", 0644);
                }
            }
        }
        if (packages.contains("dash")) {
            dash(tree, log);
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

    private static void dash(RootfsTree tree, BuildLog log) {
        if (!tree.exists("/bin/sh") && tree.exists("/bin/dash")) {
            tree.addSymlink("/bin/sh", "dash");
            log.debug("/bin/sh → dash, as dash's postinst would link it");
        }
        String man = "/usr/share/man/man1/";
        if (!tree.exists(man + "sh.1.gz") && tree.exists(man + "dash.1.gz")) {
            tree.addSymlink(man + "sh.1.gz", "dash.1.gz");
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
                    43,
                    "root",
                    group,
                    empty,
                    null,
                    tree.newInode(),
                    ""));
        }
    }
}
