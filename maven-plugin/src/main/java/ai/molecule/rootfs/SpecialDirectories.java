package ai.molecule.rootfs;

import ai.molecule.rootfs.RootfsTree.Kind;
import ai.molecule.rootfs.RootfsTree.Node;

/**
 * The directories whose modes matter whatever the packages say, and each account's home: a
 * declared account's home is 0755 like useradd's, not adduser's 0700, because apt's {@code _apt}
 * sandbox must read a {@code ./x.deb} from it and the image has only one human account to
 * keep apart.
 */
final class SpecialDirectories {
    private SpecialDirectories() {}

    static void apply(RootfsTree tree, AccountDatabase accounts) {
        tree.addDirectory("/tmp", 01777, 0, 0);
        tree.addDirectory("/var/tmp", 01777, 0, 0);
        tree.addDirectory("/root", 0700, 0, 0);
        tree.addDirectory("/home", 0755, 0, 0);
        for (AccountDatabase.Home home : accounts.homes()) {
            tree.addDirectory(home.path(), home.mode(), home.uid(), home.gid());
            if (home.skel()) {
                String skel = tree.aliases().lookup("/etc/skel");
                for (Node node : tree.under("/etc/skel").values()) {
                    String target = home.path() + node.path().substring(skel.length());
                    if (tree.exists(target)) {
                        continue;
                    }
                    switch (node.kind()) {
                        case DIRECTORY -> tree.addDirectory(target, node.mode(), home.uid(), home.gid());
                        case FILE -> tree.copyFile(node, target, node.mode(), home.uid(), home.gid());
                        case SYMLINK ->
                            tree.put(new Node(
                                    tree.aliases().lookup(target),
                                    Kind.SYMLINK,
                                    0777,
                                    home.uid(),
                                    home.gid(),
                                    "",
                                    "",
                                    null,
                                    node.linkTarget(),
                                    0,
                                    ""));
                    }
                }
            }
        }
    }
}
