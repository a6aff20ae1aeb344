package ai.molecule.rootfs;

import ai.molecule.core.BuildLog;
import ai.molecule.rootfs.RootfsTree.Kind;
import ai.molecule.rootfs.RootfsTree.Node;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What the postinsts' {@code update-alternatives --install} calls leave: the links through {@code
 * /etc/alternatives} and dpkg's state file of every group they touch, merged with the base's.
 */
final class AlternativeLinks {
    private AlternativeLinks() {}

    /** Writes the links and state files; returns the chosen path of each touched group by name. */
    static SortedMap<String, String> apply(RootfsTree tree, List<DebArchive> fresh, BaseSystem base, BuildLog log)
            throws IOException {
        List<AlternativeInstall> installs = new ArrayList<>();
        for (DebArchive deb : fresh) {
            deb.maintainerScript("postinst")
                    .ifPresent(text -> installs.addAll(AlternativeInstall.scan(deb.name(), text, log)));
        }
        Map<String, Alternatives.Group> baseGroups = new HashMap<>();
        base.filesUnder(BaseSystem.ALTERNATIVES_STATE)
                .forEach((name, text) -> baseGroups.put(
                        name,
                        Alternatives.parseState(
                                name,
                                text,
                                Optional.ofNullable(base.links().get(BaseSystem.ALTERNATIVE_LINKS + name)))));
        SortedMap<String, Alternatives.Group> touched = Alternatives.install(baseGroups, installs, tree::exists, log);
        SortedMap<String, String> chosen = new TreeMap<>();
        for (Alternatives.Group group : touched.values()) {
            Alternatives.Choice selected = group.selected();
            chosen.put(group.name(), selected.path());
            link(tree, group.link(), group.name(), selected.path(), log);
            for (Map.Entry<String, String> slave : group.slaveLinks().entrySet()) {
                String path = selected.slavePaths().get(slave.getKey());
                if (path != null && tree.exists(path)) {
                    link(tree, slave.getValue(), slave.getKey(), path, log);
                }
            }
            tree.addFile(BaseSystem.ALTERNATIVES_STATE + group.name(), group.stateText(), 0644);
        }
        return chosen;
    }

    private static void link(RootfsTree tree, String link, String name, String path, BuildLog log) {
        Optional<Node> existing = tree.get(link);
        if (existing.isPresent() && existing.get().kind() != Kind.SYMLINK) {
            log.warn("Alternative " + name + ": " + link + " is a real "
                    + existing.get().kind().name().toLowerCase()
                    + " shipped by " + existing.get().owner() + ", so it is not replaced by a link (as"
                    + " update-alternatives does without --force)");
        } else {
            tree.addSymlink(link, BaseSystem.ALTERNATIVE_LINKS + name);
        }
        tree.addSymlink(BaseSystem.ALTERNATIVE_LINKS + name, path);
    }
}
