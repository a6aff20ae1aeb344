package ai.molecule.rootfs;

import ai.molecule.rootfs.RootfsTree.Kind;
import ai.molecule.rootfs.RootfsTree.Node;
import java.util.Map;

/** The alias directories as symlinks ({@code bin → usr/bin}), with the directories they point at. */
final class AliasLinks {
    private AliasLinks() {}

    static void apply(RootfsTree tree, boolean baseFilesInstalled) {
        PathAliases aliases = tree.aliases();
        for (Map.Entry<String, String> alias : PathAliases.MERGED_USR.entrySet()) {
            if (PathAliases.ALWAYS_EMITTED.contains(alias.getKey())
                    || aliases.used().contains(alias.getKey())) {
                tree.put(new Node(
                        alias.getKey(),
                        Kind.SYMLINK,
                        0777,
                        0,
                        0,
                        "",
                        "",
                        null,
                        alias.getValue().substring(1),
                        0,
                        ""));
                if (!tree.exists(alias.getValue())) {
                    tree.addDirectory(alias.getValue(), 0755, 0, 0);
                }
            }
        }
        if (baseFilesInstalled) {
            for (Map.Entry<String, String> alias : PackageDefaults.BASE_FILES_ALIASES.entrySet()) {
                tree.put(new Node(alias.getKey(), Kind.SYMLINK, 0777, 0, 0, "", "", null, alias.getValue(), 0, ""));
            }
        }
    }
}
