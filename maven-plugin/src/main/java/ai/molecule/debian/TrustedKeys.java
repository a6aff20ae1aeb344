package ai.molecule.debian;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.bcpg.ArmoredInputStream;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPPublicKeyRingCollection;
import org.bouncycastle.openpgp.operator.bc.BcKeyFingerprintCalculator;

/**
 * The OpenPGP keys an archive's InRelease may be signed by: Debian's archive keys (built in) plus
 * the user's {@code <keyrings>}. A key file is trusted as a whole; nothing here consults a web of
 * trust.
 */
public final class TrustedKeys {
    private static final String RESOURCE_DIR = "keys/";
    private static final List<String> BUILT_IN = List.of(
            "debian-archive-bookworm-automatic.asc",
            "debian-archive-bookworm-security-automatic.asc",
            "debian-archive-bookworm-stable.asc",
            "debian-archive-trixie-automatic.asc",
            "debian-archive-trixie-security-automatic.asc",
            "debian-archive-trixie-stable.asc");
    private static final Pattern ARMORED_KEY_BLOCK = Pattern.compile(
            "-----BEGIN PGP PUBLIC KEY BLOCK-----.*?-----END PGP PUBLIC KEY BLOCK-----", Pattern.DOTALL);

    /**
     * One trusted primary key.
     *
     * @param fingerprint upper-case hex, as {@code gpg --fingerprint} prints it without spaces
     * @param userId the first user ID, e.g. {@code Debian Archive Automatic Signing Key (12/bookworm)}
     * @param source the resource or file it was read from
     */
    public record Key(String fingerprint, String userId, String source) {}

    private final List<PGPPublicKeyRing> rings;
    private final List<Key> keys;

    private TrustedKeys(List<PGPPublicKeyRing> rings, List<Key> keys) {
        this.rings = List.copyOf(rings);
        this.keys = List.copyOf(keys);
    }

    /** Debian's archive keys only. */
    public static TrustedKeys debian() {
        List<PGPPublicKeyRing> rings = new ArrayList<>();
        List<Key> keys = new ArrayList<>();
        for (String name : BUILT_IN) {
            try (InputStream in = TrustedKeys.class.getResourceAsStream(RESOURCE_DIR + name)) {
                if (in == null) {
                    throw new IllegalStateException("built-in Debian key " + name + " is missing from the plugin jar");
                }
                add(parse(in.readAllBytes()), name, rings, keys);
            } catch (IOException | PGPException e) {
                throw new IllegalStateException("built-in Debian key " + name + " is unreadable", e);
            }
        }
        return new TrustedKeys(rings, keys);
    }

    /**
     * Debian's keys plus every key in {@code keyrings}: armored ({@code gpg --export --armor}) or
     * binary ({@code gpg --export}, the {@code .gpg} files of {@code /etc/apt/trusted.gpg.d}).
     */
    public static TrustedKeys withKeyrings(List<Path> keyrings) throws KeyringException {
        TrustedKeys debian = debian();
        List<PGPPublicKeyRing> rings = new ArrayList<>(debian.rings);
        List<Key> keys = new ArrayList<>(debian.keys);
        for (Path keyring : keyrings) {
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(keyring);
            } catch (NoSuchFileException e) {
                throw new KeyringException(
                        "keyring " + keyring.toAbsolutePath() + " does not exist",
                        "Fix the path, or export the archive's key with gpg --export --armor KEYID > key.asc");
            } catch (IOException e) {
                throw new KeyringException(
                        "keyring " + keyring.toAbsolutePath() + " cannot be read (" + e.getMessage() + ")",
                        "Make it a readable file holding the archive's OpenPGP public key");
            }
            List<PGPPublicKeyRing> found;
            try {
                found = parse(bytes);
            } catch (IOException | PGPException | RuntimeException e) {
                throw new KeyringException(
                        "keyring " + keyring.toAbsolutePath() + " is not an OpenPGP public keyring (" + e.getMessage()
                                + ")",
                        "Export the archive's public key with gpg --export --armor KEYID > key.asc; a GnuPG"
                                + " keybox (pubring.kbx) or a secret key will not do");
            }
            if (found.isEmpty()) {
                throw new KeyringException(
                        "keyring " + keyring.toAbsolutePath() + " holds no public key",
                        "Export the archive's public key with gpg --export --armor KEYID > key.asc");
            }
            add(found, keyring.toString(), rings, keys);
        }
        return new TrustedKeys(rings, keys);
    }

    /** Every trusted primary key, built-in ones first. */
    public List<Key> keys() {
        return keys;
    }

    public List<String> fingerprints() {
        return keys.stream().map(Key::fingerprint).toList();
    }

    /**
     * The trusted keys (primary or subkey) with this key ID that may have made a signature at
     * {@code signedAt}: not revoked, not expired at {@code now}, created before the signature.
     */
    List<PGPPublicKey> signingKeys(long keyId, Instant signedAt, Instant now) {
        List<PGPPublicKey> candidates = new ArrayList<>();
        for (PGPPublicKeyRing ring : rings) {
            PGPPublicKey key = ring.getPublicKey(keyId);
            PGPPublicKey primary = ring.getPublicKey();
            if (key != null && usable(primary, signedAt, now) && usable(key, signedAt, now)) {
                candidates.add(key);
            }
        }
        return candidates;
    }

    static String fingerprint(PGPPublicKey key) {
        return HexFormat.of().formatHex(key.getFingerprint()).toUpperCase(Locale.ROOT);
    }

    private static boolean usable(PGPPublicKey key, Instant signedAt, Instant now) {
        Instant created = key.getCreationTime().toInstant();
        long validSeconds = key.getValidSeconds();
        boolean expired = validSeconds > 0 && created.plusSeconds(validSeconds).isBefore(now);
        return !key.hasRevocation() && !expired && !signedAt.isBefore(created);
    }

    private static List<PGPPublicKeyRing> parse(byte[] bytes) throws IOException, PGPException {
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        if (!text.stripLeading().startsWith("-----BEGIN")) {
            return readRings(new ByteArrayInputStream(bytes));
        }
        List<PGPPublicKeyRing> rings = new ArrayList<>();
        Matcher block = ARMORED_KEY_BLOCK.matcher(text);
        while (block.find()) {
            byte[] armored = block.group().getBytes(StandardCharsets.ISO_8859_1);
            try (InputStream in = new ArmoredInputStream(new ByteArrayInputStream(armored))) {
                rings.addAll(readRings(in));
            }
        }
        return rings;
    }

    private static List<PGPPublicKeyRing> readRings(InputStream in) throws IOException, PGPException {
        List<PGPPublicKeyRing> rings = new ArrayList<>();
        new PGPPublicKeyRingCollection(in, new BcKeyFingerprintCalculator()).forEach(rings::add);
        return rings;
    }

    private static void add(List<PGPPublicKeyRing> found, String source, List<PGPPublicKeyRing> rings, List<Key> keys) {
        for (PGPPublicKeyRing ring : found) {
            PGPPublicKey primary = ring.getPublicKey();
            Iterator<String> userIds = primary.getUserIDs();
            keys.add(new Key(fingerprint(primary), userIds.hasNext() ? userIds.next() : "", source));
            rings.add(ring);
        }
    }
}
