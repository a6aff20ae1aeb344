package ai.molecule.core;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * A cache key being built: SHA-256 over length-prefixed lines, so that no input value can forge the
 * start of another line. Every layer kind (files, Debian, pip, npm) keys its inputs through it.
 */
public final class KeyDigest {
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    private final MessageDigest digest = sha256();

    /** @param format names the key's layout; bump it when the layer's output changes for the same inputs */
    public KeyDigest(String format) {
        line(format);
    }

    public KeyDigest line(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        digest.update((bytes.length + ":").getBytes(StandardCharsets.US_ASCII));
        digest.update(bytes);
        return this;
    }

    /** The key, lower-case hex. */
    public String hex() {
        return HexFormat.of().formatHex(digest.digest());
    }

    /** Whether {@code text} is a SHA-256 in lower-case hex, as locks and archive indexes write it. */
    public static boolean isSha256Hex(String text) {
        return SHA256_HEX.matcher(text).matches();
    }

    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM lacks SHA-256", e);
        }
    }
}
