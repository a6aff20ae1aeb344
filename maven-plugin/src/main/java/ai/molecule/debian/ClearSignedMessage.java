package ai.molecule.debian;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.bouncycastle.bcpg.ArmoredInputStream;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.sig.IssuerFingerprint;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPMarker;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.openpgp.bc.BcPGPObjectFactory;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentVerifierBuilderProvider;

/**
 * A cleartext-signed message (RFC 4880 §7, RFC 9580 §7), as Debian's InRelease files are: the text
 * with dash-escaping removed and the signatures over it. Only the text between the armor lines is
 * ever returned, so nothing outside the signature can reach a parser.
 */
final class ClearSignedMessage {
    private static final String BEGIN_MESSAGE = "-----BEGIN PGP SIGNED MESSAGE-----";
    private static final String BEGIN_SIGNATURE = "-----BEGIN PGP SIGNATURE-----";
    private static final String END_SIGNATURE = "-----END PGP SIGNATURE-----";
    // MD5, SHA-1 and RIPEMD-160 signatures can be forged or collided; apt refuses them too.
    private static final Set<Integer> STRONG_HASHES = Set.of(
            HashAlgorithmTags.SHA224,
            HashAlgorithmTags.SHA256,
            HashAlgorithmTags.SHA384,
            HashAlgorithmTags.SHA512,
            HashAlgorithmTags.SHA3_256,
            HashAlgorithmTags.SHA3_512);

    /** Each signed line as ISO-8859-1 chars (one per byte), without its line ending. */
    private final List<String> lines;

    private final List<PGPSignature> signatures;

    private ClearSignedMessage(List<String> lines, List<PGPSignature> signatures) {
        this.lines = List.copyOf(lines);
        this.signatures = List.copyOf(signatures);
    }

    /**
     * Who signed: {@code trusted} are fingerprints of trusted keys whose signature matches the
     * text; {@code others} describe every other signature (unknown key, bad signature, weak hash).
     */
    record Verdict(List<String> trusted, List<String> others) {
        Verdict {
            trusted = List.copyOf(trusted);
            others = List.copyOf(others);
        }
    }

    /** Splits a clearsigned file; fails when it is not one, or holds anything outside the armor. */
    static ClearSignedMessage parse(byte[] content) throws IOException {
        String[] all = new String(content, StandardCharsets.ISO_8859_1).split("\n", -1);
        if (!armorLine(all[0]).equals(BEGIN_MESSAGE)) {
            throw new IOException("it does not start with " + BEGIN_MESSAGE);
        }
        int i;
        for (i = 1; i < all.length && !armorLine(all[i]).isEmpty(); i++) {
            if (!all[i].contains(":")) {
                throw new IOException("armor header line " + (i + 1) + " is not 'Name: value'");
            }
        }
        List<String> lines = new ArrayList<>();
        for (i++; i < all.length && !armorLine(all[i]).equals(BEGIN_SIGNATURE); i++) {
            String line = withoutCarriageReturn(all[i]);
            lines.add(line.startsWith("- ") ? line.substring(2) : line);
        }
        if (i >= all.length) {
            throw new IOException("it has no " + BEGIN_SIGNATURE + " line");
        }
        StringBuilder armor = new StringBuilder();
        for (; i < all.length; i++) {
            armor.append(withoutCarriageReturn(all[i])).append('\n');
            if (armorLine(all[i]).equals(END_SIGNATURE)) {
                break;
            }
        }
        if (i >= all.length) {
            throw new IOException("it has no " + END_SIGNATURE + " line");
        }
        for (i++; i < all.length; i++) {
            if (!all[i].isBlank()) {
                throw new IOException("line " + (i + 1) + " follows the signature; only the signed text is accepted");
            }
        }
        return new ClearSignedMessage(lines, signatures(armor.toString()));
    }

    /** The signed text, decoded as UTF-8, with {@code \n} line endings. */
    String text() {
        byte[] latin1 = (String.join("\n", lines) + "\n").getBytes(StandardCharsets.ISO_8859_1);
        return new String(latin1, StandardCharsets.UTF_8);
    }

    /** Checks every signature; a key that is not trusted is reported, not an error. */
    Verdict verify(TrustedKeys keys, Instant now) throws IOException {
        byte[] canonical = canonicalText();
        List<String> trusted = new ArrayList<>();
        List<String> others = new ArrayList<>();
        for (PGPSignature signature : signatures) {
            String issuer = issuer(signature);
            if (signature.getSignatureType() != PGPSignature.CANONICAL_TEXT_DOCUMENT) {
                others.add(issuer + " (not a text signature)");
                continue;
            }
            if (!STRONG_HASHES.contains(signature.getHashAlgorithm())) {
                others.add(issuer + " (weak digest algorithm " + signature.getHashAlgorithm() + ")");
                continue;
            }
            List<PGPPublicKey> candidates = keys.signingKeys(
                    signature.getKeyID(), signature.getCreationTime().toInstant(), now);
            PGPPublicKey signer = matchingKey(signature, candidates, canonical);
            if (signer != null) {
                trusted.add(TrustedKeys.fingerprint(signer));
            } else {
                others.add(issuer + (candidates.isEmpty() ? " (not a trusted key)" : " (signature does not match)"));
            }
        }
        return new Verdict(trusted, others);
    }

    /**
     * The bytes a text signature covers: lines joined by CRLF, trailing spaces and tabs removed,
     * and no line ending after the last line (the one before the signature armor is not signed).
     */
    private byte[] canonicalText() {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            if (i > 0) {
                text.append("\r\n");
            }
            text.append(stripTrailingBlanks(lines.get(i)));
        }
        return text.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    private static PGPPublicKey matchingKey(PGPSignature signature, List<PGPPublicKey> candidates, byte[] text)
            throws IOException {
        IssuerFingerprint claimed = signature.getHashedSubPackets() == null
                ? null
                : signature.getHashedSubPackets().getIssuerFingerprint();
        for (PGPPublicKey key : candidates) {
            if (claimed != null && !key.hasFingerprint(claimed.getFingerprint())) {
                continue;
            }
            try {
                signature.init(new BcPGPContentVerifierBuilderProvider(), key);
                signature.update(text);
                if (signature.verify()) {
                    return key;
                }
            } catch (PGPException e) {
                throw new IOException("signature by " + TrustedKeys.fingerprint(key) + " cannot be checked: " + e, e);
            }
        }
        return null;
    }

    private static String issuer(PGPSignature signature) {
        IssuerFingerprint fingerprint = signature.getHashedSubPackets() == null
                ? null
                : signature.getHashedSubPackets().getIssuerFingerprint();
        if (fingerprint == null && signature.getUnhashedSubPackets() != null) {
            fingerprint = signature.getUnhashedSubPackets().getIssuerFingerprint();
        }
        if (fingerprint != null) {
            return HexFormat.of().formatHex(fingerprint.getFingerprint()).toUpperCase(Locale.ROOT);
        }
        return "key ID " + String.format("%016X", signature.getKeyID());
    }

    private static List<PGPSignature> signatures(String armor) throws IOException {
        List<PGPSignature> signatures = new ArrayList<>();
        try (InputStream in =
                new ArmoredInputStream(new ByteArrayInputStream(armor.getBytes(StandardCharsets.ISO_8859_1)))) {
            BcPGPObjectFactory packets = new BcPGPObjectFactory(in);
            for (Object packet; (packet = packets.nextObject()) != null; ) {
                if (packet instanceof PGPSignatureList list) {
                    list.forEach(signatures::add);
                } else if (!(packet instanceof PGPMarker)) {
                    throw new IOException(
                            "the signature armor holds a " + packet.getClass().getSimpleName() + ", not signatures");
                }
            }
        }
        if (signatures.isEmpty()) {
            throw new IOException("the signature armor holds no signature");
        }
        return signatures;
    }

    private static String armorLine(String line) {
        return stripTrailingBlanks(withoutCarriageReturn(line));
    }

    private static String withoutCarriageReturn(String line) {
        return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
    }

    private static String stripTrailingBlanks(String line) {
        int end = line.length();
        while (end > 0 && (line.charAt(end - 1) == ' ' || line.charAt(end - 1) == '\t')) {
            end--;
        }
        return line.substring(0, end);
    }
}
