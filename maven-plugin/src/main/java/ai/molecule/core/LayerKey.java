package ai.molecule.core;

import java.io.IOException;
import java.time.Instant;

/**
 * The cache key of a layer: SHA-256 over a canonical description of every input that shapes its
 * tar — entry paths, types, modes, owners, file contents, link targets, the entry mtime and each
 * build argument the layer declares. A changed input gives a new key, so it can never hit an old
 * layer.
 */
public final class LayerKey {
    /** Bump when the tar writer's output changes for the same inputs. */
    private static final String FORMAT = "molecule-layer-key/1";

    private LayerKey() {}

    public static String of(LayerSpec layer, Instant mtime) throws IOException {
        KeyDigest key = new KeyDigest(FORMAT);
        key.line("name " + layer.name());
        key.line("mtime " + mtime.getEpochSecond());
        layer.buildArgs().forEach((name, value) -> key.line("arg " + name + "=" + value));
        for (LayerEntry entry : layer.entries()) {
            StringBuilder text = new StringBuilder()
                    .append("entry ")
                    .append(entry.type())
                    .append(' ')
                    .append(entry.path())
                    .append(" mode=")
                    .append(Integer.toOctalString(entry.mode()))
                    .append(" owner=")
                    .append(entry.uid())
                    .append(':')
                    .append(entry.gid());
            switch (entry.type()) {
                case FILE -> text.append(" sha256=").append(LayerCache.sha256(entry.source()));
                case SYMLINK -> text.append(" link=").append(entry.linkTarget());
                case HARDLINK -> text.append(" hardlink=").append(entry.linkTarget());
                case DIRECTORY -> {}
            }
            key.line(text.toString());
        }
        return key.hex();
    }
}
