package ai.molecule.layers;

import ai.molecule.image.LayerEntry;
import ai.molecule.image.LayerSpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

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
        MessageDigest key = sha256();
        line(key, FORMAT);
        line(key, "name " + layer.name());
        line(key, "mtime " + mtime.getEpochSecond());
        layer.buildArgs().forEach((name, value) -> line(key, "arg " + name + "=" + value));
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
                case FILE -> text.append(" sha256=").append(fileSha256(entry));
                case SYMLINK -> text.append(" link=").append(entry.linkTarget());
                case HARDLINK -> text.append(" hardlink=").append(entry.linkTarget());
                case DIRECTORY -> {}
            }
            line(key, text.toString());
        }
        return HexFormat.of().formatHex(key.digest());
    }

    private static String fileSha256(LayerEntry entry) throws IOException {
        MessageDigest digest = sha256();
        try (InputStream in = Files.newInputStream(entry.source())) {
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static void line(MessageDigest digest, String text) {
        // Length-prefixed so that no value can forge the start of another line.
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        digest.update((bytes.length + ":").getBytes(StandardCharsets.US_ASCII));
        digest.update(bytes);
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM lacks SHA-256", e);
        }
    }
}
