package ai.molecule.rootfs;

import ai.molecule.core.BuildLog;
import ai.molecule.rootfs.RootfsTree.Kind;
import ai.molecule.rootfs.RootfsTree.Node;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Unpacks packages into the tree the way dpkg would: a directory shipped by many packages once
 * (the first one's mode and owner, as dpkg leaves an existing directory alone); a path that two
 * packages ship identically shared; a path they ship differently owned by the package that
 * declares {@code Replaces} on the other — and, when neither does, a problem naming both, because
 * dpkg itself would refuse to install the second ("trying to overwrite …").
 */
final class PackageUnpacker {
    /**
     * What dpkg records about an unpacked package, and what the package itself ships.
     *
     * @param shipped its entries as it ships them, in archive order, whatever other packages placed
     *     at the same paths: what the package's own layer holds
     */
    record Unpacked(
            DebArchive deb,
            List<String> listedPaths,
            Map<String, String> md5sums,
            Map<String, String> conffileMd5s,
            List<Node> shipped) {
        Unpacked {
            shipped = Collections.unmodifiableList(shipped);
            listedPaths = Collections.unmodifiableList(listedPaths);
            md5sums = Collections.unmodifiableMap(md5sums);
            conffileMd5s = Collections.unmodifiableMap(conffileMd5s);
        }
    }

    private final RootfsTree tree;
    private final BuildLog log;
    private final List<String> problems = new ArrayList<>();
    private final Map<String, Set<String>> replaces = new HashMap<>();

    PackageUnpacker(RootfsTree tree, BuildLog log) {
        this.tree = tree;
        this.log = log;
    }

    /** Problems found so far, one sentence each. */
    List<String> problems() {
        return List.copyOf(problems);
    }

    /** A package's data.tar read once: its entries in archive order, file contents parked in a spool. */
    record Extracted(DebArchive deb, List<DebEntry> entries, List<ContentSpool.Blob> contents) {}

    /**
     * Reads {@code deb}'s data into {@code spool}. Independent of every other package, so the
     * assembler runs it for several packages at once; decompression is most of the assembly time.
     */
    static Extracted extract(DebArchive deb, ContentSpool spool) throws IOException {
        List<DebEntry> entries = new ArrayList<>();
        List<ContentSpool.Blob> contents = new ArrayList<>();
        try (DebArchive.Data data = deb.openData()) {
            for (DebEntry entry; (entry = data.next()) != null; ) {
                entries.add(entry);
                contents.add(
                        entry.type() == DebEntry.Type.FILE
                                ? spool.store(data.content(), entry.size(), deb.file() + " entry " + entry.path())
                                : null);
            }
        }
        return new Extracted(deb, entries, contents);
    }

    /** Places an extracted package into the tree; packages must be placed in input order. */
    Unpacked place(Extracted extracted) throws IOException {
        DebArchive deb = extracted.deb();
        replaces.put(deb.name(), packageNames(deb.field("Replaces")));
        List<String> listed = new ArrayList<>();
        Map<String, String> md5sums = new LinkedHashMap<>();
        Map<String, Node> shippedFiles = new HashMap<>();
        List<Node> shipped = new ArrayList<>();
        for (int i = 0; i < extracted.entries().size(); i++) {
            DebEntry entry = extracted.entries().get(i);
            if (entry.path().equals("/")) {
                listed.add("/.");
                continue;
            }
            listed.add(entry.path());
            Node node = toNode(deb, entry, extracted.contents().get(i), shippedFiles);
            if (entry.type() == DebEntry.Type.FILE || entry.type() == DebEntry.Type.HARDLINK) {
                shippedFiles.put(entry.path(), node);
                md5sums.put(entry.path().substring(1), node.content().md5());
            }
            if (place(deb, entry, node)) {
                shipped.add(node);
            }
        }
        Map<String, String> conffileMd5s = new LinkedHashMap<>();
        for (String conffile : deb.conffiles()) {
            Node node = shippedFiles.get(conffile);
            if (node == null) {
                // dpkg records such a conffile with the md5 "newconffile" until it exists.
                log.debug(deb.name() + " lists conffile " + conffile + " that it does not ship");
                conffileMd5s.put(conffile, "newconffile");
            } else {
                conffileMd5s.put(conffile, node.content().md5());
            }
        }
        if (!listed.isEmpty() && !listed.get(0).equals("/.")) {
            listed.add(0, "/.");
        }
        return new Unpacked(deb, listed, md5sums, conffileMd5s, shipped);
    }

    private Node toNode(DebArchive deb, DebEntry entry, ContentSpool.Blob content, Map<String, Node> shippedFiles)
            throws IOException {
        String real = tree.aliases().canonical(entry.path());
        return switch (entry.type()) {
            case DIRECTORY ->
                new Node(
                        real,
                        Kind.DIRECTORY,
                        entry.mode(),
                        entry.uid(),
                        entry.gid(),
                        entry.userName(),
                        entry.groupName(),
                        null,
                        null,
                        0,
                        deb.name());
            case SYMLINK ->
                new Node(
                        real,
                        Kind.SYMLINK,
                        0777,
                        entry.uid(),
                        entry.gid(),
                        entry.userName(),
                        entry.groupName(),
                        null,
                        tree.aliases().relink(entry.path(), entry.linkTarget()),
                        0,
                        deb.name());
            case FILE ->
                new Node(
                        real,
                        Kind.FILE,
                        entry.mode(),
                        entry.uid(),
                        entry.gid(),
                        entry.userName(),
                        entry.groupName(),
                        content,
                        null,
                        tree.newInode(),
                        deb.name());
            case HARDLINK -> {
                Node target = shippedFiles.get(entry.linkTarget());
                if (target == null) {
                    throw new IOException(deb.file() + " has hardlink " + entry.path() + " to " + entry.linkTarget()
                            + ", which is not a regular file earlier in its data.tar");
                }
                yield target.at(real);
            }
        };
    }

    /** @return whether {@code node} is part of what the package puts into a tree (not an alias it stands for) */
    private boolean place(DebArchive deb, DebEntry entry, Node node) {
        if (tree.aliases().isAlias(entry.path())) {
            String alias = tree.aliases().aliases().get(entry.path());
            if (node.kind() == Kind.SYMLINK
                    && alias.equals(PathAliases.resolveLink(entry.path(), entry.linkTarget()))) {
                // trixie's base-files ships the merged-/usr links itself; they are the ones emitted anyway.
                tree.aliases().markUsed(entry.path());
                return false;
            }
            if (node.kind() != Kind.DIRECTORY) {
                problems.add(deb.name() + " ships " + entry.path() + " as a "
                        + node.kind().name().toLowerCase()
                        + ", but the image is merged-/usr, where " + entry.path() + " is a symlink to "
                        + tree.aliases().aliases().get(entry.path()) + "; leave the package out");
                return false;
            }
        }
        Node existing = tree.get(node.path()).orElse(null);
        if (existing == null || existing.owner().equals(deb.name())) {
            tree.put(node);
            return true;
        }
        if (existing.kind() == Kind.DIRECTORY && node.kind() == Kind.DIRECTORY) {
            return true;
        }
        if (existing.sameAs(node)) {
            return true;
        }
        if (replaces.getOrDefault(deb.name(), Set.of()).contains(existing.owner())) {
            log.debug(deb.name() + " replaces " + node.path() + " of " + existing.owner() + " (Replaces)");
            tree.put(node);
            return true;
        }
        if (replaces.getOrDefault(existing.owner(), Set.of()).contains(deb.name())) {
            log.debug(existing.owner() + " keeps " + node.path() + " over " + deb.name() + " (Replaces)");
            return true;
        }
        String shown = entry.path().equals(node.path()) ? node.path() : entry.path() + " (" + node.path() + ")";
        problems.add(deb.name() + " and " + existing.owner() + " both ship " + shown + " with different "
                + (existing.kind() == node.kind() ? "content" : "types") + " and neither declares Replaces on the"
                + " other, so dpkg would refuse to install both; leave one of them out");
        return true;
    }

    /** Package names of a relationship field ({@code a (<< 1), b | c, d:any}), versions ignored. */
    static Set<String> packageNames(String field) {
        Set<String> names = new HashSet<>();
        for (String part : field.split("[,|]")) {
            String name = part.strip();
            int end = 0;
            while (end < name.length() && " (:[".indexOf(name.charAt(end)) < 0) {
                end++;
            }
            if (end > 0) {
                names.add(name.substring(0, end));
            }
        }
        return names;
    }
}
