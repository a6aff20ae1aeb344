package ai.molecule.rootfs;

import ai.molecule.core.BuildLog;
import ai.molecule.rootfs.RootfsTree.Node;
import java.util.List;
import java.util.Optional;

/**
 * The literal {@code chmod <octal> /path} and {@code chown <user>[:<group>] /path} calls of a
 * postinst, applied to the shipped file — sudo's postinst, for one, turns the 0644 {@code
 * /etc/sudoers} it ships into the 0440 that {@code visudo -c} insists on. Calls with options,
 * symbolic modes or shell expansions are left alone: their effect cannot be known without running
 * the script.
 */
final class PermissionFixes {
    private PermissionFixes() {}

    static void apply(RootfsTree tree, DebArchive deb, BuildLog log) {
        Optional<String> postinst = deb.maintainerScript("postinst");
        if (postinst.isEmpty()) {
            return;
        }
        for (ShellCommands.Command call : ShellCommands.parse(postinst.get())) {
            String program = call.program();
            if (!program.equals("chmod") && !program.equals("chown") && !program.equals("chgrp")) {
                continue;
            }
            List<String> args = call.texts();
            if (call.anyExpanded()
                    || args.size() != 2
                    || args.get(0).startsWith("-")
                    || !args.get(1).startsWith("/")) {
                continue;
            }
            Optional<Node> target = tree.get(args.get(1));
            if (target.isEmpty()) {
                continue;
            }
            Node node = target.get();
            Node changed = switch (program) {
                case "chmod" ->
                    args.get(0).matches("[0-7]{3,4}") ? withMode(node, Integer.parseInt(args.get(0), 8)) : null;
                case "chown" -> withOwner(node, args.get(0));
                default -> withOwner(node, ":" + args.get(0));
            };
            if (changed != null) {
                tree.put(changed);
                log.debug(deb.name() + " postinst line " + call.line() + ": " + program + " " + String.join(" ", args));
            }
        }
    }

    private static Node withMode(Node node, int mode) {
        return new Node(
                node.path(),
                node.kind(),
                mode,
                node.uid(),
                node.gid(),
                node.userName(),
                node.groupName(),
                node.content(),
                node.linkTarget(),
                node.inode(),
                node.owner());
    }

    /** {@code user}, {@code user:group}, {@code :group}; numeric ids are taken as ids, names as names. */
    private static Node withOwner(Node node, String owner) {
        String user = owner.contains(":") ? owner.substring(0, owner.indexOf(':')) : owner;
        String group = owner.contains(":") ? owner.substring(owner.indexOf(':') + 1) : "";
        int uid = node.uid();
        int gid = node.gid();
        String userName = node.userName();
        String groupName = node.groupName();
        if (!user.isEmpty()) {
            if (user.matches("\\d+")) {
                uid = Integer.parseInt(user);
                userName = "";
            } else {
                userName = user;
            }
        }
        if (!group.isEmpty()) {
            if (group.matches("\\d+")) {
                gid = Integer.parseInt(group);
                groupName = "";
            } else {
                groupName = group;
            }
        }
        return new Node(
                node.path(),
                node.kind(),
                node.mode(),
                uid,
                gid,
                userName,
                groupName,
                node.content(),
                node.linkTarget(),
                node.inode(),
                node.owner());
    }
}
