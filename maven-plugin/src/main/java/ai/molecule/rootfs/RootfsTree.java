package ai.molecule.rootfs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The root filesystem being assembled: every entry by its real (alias-resolved) path, in the order
 * the layer lists them — component by component, so a directory comes right before its contents.
 */
final class RootfsTree {
    /** Path order with '/' below every other character: parents first, each subtree contiguous. */
    static final Comparator<String> PATH_ORDER = (a, b) -> {
        int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; i++) {
            char x = a.charAt(i);
            char y = b.charAt(i);
            if (x != y) {
                if (x == '/') {
                    return -1;
                }
                if (y == '/') {
                    return 1;
                }
                return Character.compare(x, y);
            }
        }
        return Integer.compare(a.length(), b.length());
    };

    enum Kind {
        DIRECTORY,
        FILE,
        SYMLINK
    }

    /**
     * One entry. Files that share an {@code inode} are hardlinks of each other; owner names, when
     * set, win over the numeric ids once the accounts are known (dpkg does the same).
     *
     * @param owner the package that shipped it, or {@code ""} for what the assembler generated
     */
    record Node(
            String path,
            Kind kind,
            int mode,
            int uid,
            int gid,
            String userName,
            String groupName,
            ContentSpool.Blob content,
            String linkTarget,
            long inode,
            String owner) {

        boolean sameAs(Node other) {
            return kind == other.kind
                    && switch (kind) {
                        case DIRECTORY -> true;
                        case SYMLINK -> linkTarget.equals(other.linkTarget);
                        case FILE ->
                            content.size() == other.content.size()
                                    && content.md5().equals(other.content.md5())
                                    && mode == other.mode;
                    };
        }

        Node at(String newPath) {
            return new Node(newPath, kind, mode, uid, gid, userName, groupName, content, linkTarget, inode, owner);
        }
    }

    private final TreeMap<String, Node> nodes = new TreeMap<>(PATH_ORDER);
    private final ContentSpool spool;
    private final PathAliases aliases;
    private long inodes;

    RootfsTree(ContentSpool spool, PathAliases aliases) {
        this.spool = spool;
        this.aliases = aliases;
    }

    ContentSpool spool() {
        return spool;
    }

    PathAliases aliases() {
        return aliases;
    }

    long newInode() {
        return ++inodes;
    }

    /** The entry at {@code path} after resolving aliases ({@code /bin/sh} finds {@code /usr/bin/sh}). */
    Optional<Node> get(String path) {
        return Optional.ofNullable(nodes.get(aliases.lookup(path)));
    }

    boolean exists(String path) {
        return get(path).isPresent();
    }

    /** Puts {@code node} at its own path, replacing what was there. */
    void put(Node node) {
        nodes.put(node.path(), node);
    }

    void remove(String path) {
        nodes.remove(aliases.lookup(path));
    }

    void addDirectory(String path, int mode, int uid, int gid) {
        String real = aliases.lookup(path);
        nodes.put(real, new Node(real, Kind.DIRECTORY, mode, uid, gid, "", "", null, null, 0, ""));
    }

    void addFile(String path, byte[] content, int mode, int uid, int gid) throws IOException {
        String real = aliases.lookup(path);
        nodes.put(real, new Node(real, Kind.FILE, mode, uid, gid, "", "", spool.store(content), null, newInode(), ""));
    }

    void addFile(String path, String content, int mode) throws IOException {
        addFile(path, content.getBytes(StandardCharsets.UTF_8), mode, 0, 0);
    }

    /** A copy of {@code source}'s content at {@code path}, not a hardlink. */
    void copyFile(Node source, String path, int mode, int uid, int gid) {
        String real = aliases.lookup(path);
        nodes.put(real, new Node(real, Kind.FILE, mode, uid, gid, "", "", source.content(), null, newInode(), ""));
    }

    void addSymlink(String path, String target) {
        String real = aliases.lookup(path);
        nodes.put(real, new Node(real, Kind.SYMLINK, 0777, 0, 0, "", "", null, target, 0, ""));
    }

    byte[] read(Node node) throws IOException {
        return node.content().read();
    }

    /** The text of the regular file at {@code path}, if there is one. */
    Optional<String> readText(String path) throws IOException {
        Optional<Node> node = get(path);
        if (node.isEmpty() || node.get().kind() != Kind.FILE) {
            return Optional.empty();
        }
        return Optional.of(new String(read(node.get()), StandardCharsets.UTF_8));
    }

    /** Entries strictly below directory {@code dir}, in path order. */
    SortedMap<String, Node> under(String dir) {
        String real = aliases.lookup(dir);
        SortedMap<String, Node> tail = nodes.tailMap(real + "/", false);
        TreeMap<String, Node> result = new TreeMap<>(PATH_ORDER);
        for (var entry : tail.entrySet()) {
            if (!entry.getKey().startsWith(real + "/")) {
                break;
            }
            result.put(entry.getKey(), entry.getValue());
        }
        return result;
    }

    Collection<Node> nodes() {
        return nodes.values();
    }

    /** Adds a 0755 root directory for every missing parent, so every entry's parents come first. */
    void addMissingParents() {
        for (Node node : List.copyOf(nodes.values())) {
            String parent = PathAliases.parent(node.path());
            while (!parent.equals("/") && !nodes.containsKey(parent)) {
                nodes.put(parent, new Node(parent, Kind.DIRECTORY, 0755, 0, 0, "", "", null, null, 0, ""));
                parent = PathAliases.parent(parent);
            }
        }
    }
}
