package ai.molecule.rootfs;

import ai.molecule.core.LayerTarWriter;
import ai.molecule.rootfs.RootfsTree.Node;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Writes a tree as one layer tar in path order. Files that share an inode become one regular
 * entry (the first path in order) and hardlink entries to it, which a tar reader needs in that
 * order. Owners come from an {@link Ownership}.
 */
final class RootfsTarWriter {
    private static final int TYPE_DIRECTORY = 0040000;
    private static final int TYPE_FILE = 0100000;
    private static final int TYPE_SYMLINK = 0120000;

    private RootfsTarWriter() {}

    /** The numeric owner an entry gets in the tar. */
    interface Ownership {
        /** The ids the package's tar gives, whatever accounts the image ends up with. */
        Ownership SHIPPED = new Ownership() {
            @Override
            public int uid(Node node) {
                return node.uid();
            }

            @Override
            public int gid(Node node) {
                return node.gid();
            }
        };

        int uid(Node node);

        int gid(Node node);

        /** Owner names resolved against the assembled accounts, as dpkg resolves them on unpack. */
        static Ownership of(AccountDatabase accounts) {
            return new Ownership() {
                @Override
                public int uid(Node node) {
                    return node.userName().isEmpty()
                            ? node.uid()
                            : accounts.uid(node.userName()).orElse(node.uid());
                }

                @Override
                public int gid(Node node) {
                    return node.groupName().isEmpty()
                            ? node.gid()
                            : accounts.gid(node.groupName()).orElse(node.gid());
                }
            };
        }
    }

    /** @return the number of entries written */
    static int write(RootfsTree tree, Ownership owners, Instant mtime, OutputStream out) throws IOException {
        TarArchiveOutputStream tar = LayerTarWriter.open(out);
        Map<Long, String> firstPathOfInode = new HashMap<>();
        int count = 0;
        for (Node node : tree.nodes()) {
            if (node.path().equals("/")) {
                continue;
            }
            String name = node.path().substring(1);
            int uid = owners.uid(node);
            int gid = owners.gid(node);
            TarArchiveEntry header;
            boolean withContent = false;
            switch (node.kind()) {
                case DIRECTORY -> {
                    header = new TarArchiveEntry(name + "/", TarConstants.LF_DIR);
                    LayerTarWriter.stamp(header, TYPE_DIRECTORY | node.mode(), uid, gid, mtime);
                }
                case SYMLINK -> {
                    header = new TarArchiveEntry(name, TarConstants.LF_SYMLINK);
                    header.setLinkName(node.linkTarget());
                    LayerTarWriter.stamp(header, TYPE_SYMLINK | 0777, uid, gid, mtime);
                }
                case FILE -> {
                    String first = firstPathOfInode.putIfAbsent(node.inode(), name);
                    if (first != null) {
                        header = new TarArchiveEntry(name, TarConstants.LF_LINK);
                        header.setLinkName(first);
                    } else {
                        header = new TarArchiveEntry(name, TarConstants.LF_NORMAL);
                        header.setSize(node.content().size());
                        withContent = true;
                    }
                    LayerTarWriter.stamp(header, TYPE_FILE | node.mode(), uid, gid, mtime);
                }
                default -> throw new IllegalStateException("unknown node kind " + node.kind());
            }
            tar.putArchiveEntry(header);
            if (withContent) {
                node.content().copyTo(tar);
            }
            tar.closeArchiveEntry();
            count++;
        }
        tar.finish();
        tar.flush();
        return count;
    }
}
