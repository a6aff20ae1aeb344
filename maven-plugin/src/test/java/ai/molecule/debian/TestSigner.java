package ai.molecule.debian;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.bouncycastle.bcpg.ArmoredOutputStream;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.PublicKeyAlgorithmTags;
import org.bouncycastle.crypto.generators.RSAKeyPairGenerator;
import org.bouncycastle.crypto.params.RSAKeyGenerationParameters;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPKeyPair;
import org.bouncycastle.openpgp.PGPKeyRingGenerator;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureGenerator;
import org.bouncycastle.openpgp.PGPSignatureSubpacketGenerator;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentSignerBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPGPDigestCalculatorProvider;
import org.bouncycastle.openpgp.operator.bc.BcPGPKeyPair;

/**
 * An archive signing key made for a test, and a cleartext signer written from RFC 4880 §7
 * independently of {@link ClearSignedMessage}, so the two check each other.
 */
final class TestSigner {
    /** The key the tests configure in {@code <keyrings>}. */
    static final TestSigner TRUSTED = generate("Molecule Test Archive <archive@example.invalid>");
    /** A key nobody configured. */
    static final TestSigner STRANGER = generate("Someone Else <stranger@example.invalid>");

    private final PGPKeyPair pair;
    private final PGPPublicKeyRing publicRing;

    private TestSigner(PGPKeyPair pair, PGPPublicKeyRing publicRing) {
        this.pair = pair;
        this.publicRing = publicRing;
    }

    static TestSigner generate(String userId) {
        try {
            RSAKeyPairGenerator rsa = new RSAKeyPairGenerator();
            rsa.init(new RSAKeyGenerationParameters(BigInteger.valueOf(0x10001), new SecureRandom(), 2048, 80));
            PGPKeyPair pair = new BcPGPKeyPair(PublicKeyAlgorithmTags.RSA_GENERAL, rsa.generateKeyPair(), new Date());
            PGPKeyRingGenerator rings = new PGPKeyRingGenerator(
                    PGPSignature.POSITIVE_CERTIFICATION,
                    pair,
                    userId,
                    new BcPGPDigestCalculatorProvider().get(HashAlgorithmTags.SHA1),
                    null,
                    null,
                    new BcPGPContentSignerBuilder(PublicKeyAlgorithmTags.RSA_GENERAL, HashAlgorithmTags.SHA256),
                    null);
            return new TestSigner(pair, rings.generatePublicKeyRing());
        } catch (PGPException e) {
            throw new IllegalStateException(e);
        }
    }

    String fingerprint() {
        return HexFormat.of().formatHex(pair.getPublicKey().getFingerprint()).toUpperCase(Locale.ROOT);
    }

    Path writeArmoredPublicKey(Path file) throws IOException {
        try (OutputStream out = new ArmoredOutputStream(Files.newOutputStream(file))) {
            publicRing.encode(out);
        }
        return file;
    }

    Path writeBinaryPublicKey(Path file) throws IOException {
        Files.write(file, publicRing.getEncoded());
        return file;
    }

    /** {@code text} clearsigned by each of {@code signers} with SHA-256. */
    static String clearsign(String text, TestSigner... signers) {
        return clearsign(text, HashAlgorithmTags.SHA256, signers);
    }

    static String clearsign(String text, int hashAlgorithm, TestSigner... signers) {
        List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
        if (text.endsWith("\n")) {
            // The line break before the signature armor is the file's last one and is not signed.
            lines.remove(lines.size() - 1);
        }
        byte[] canonical = String.join(
                        "\r\n",
                        lines.stream().map(l -> l.replaceAll("[ \t]+$", "")).toList())
                .getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream armor = new ByteArrayOutputStream();
        try (ArmoredOutputStream out = new ArmoredOutputStream(armor)) {
            for (TestSigner signer : signers) {
                signer.sign(canonical, hashAlgorithm).encode(out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        StringBuilder message = new StringBuilder("-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\n");
        for (String line : lines) {
            message.append(line.startsWith("-") ? "- " : "").append(line).append('\n');
        }
        return message.append(armor.toString(StandardCharsets.US_ASCII)).toString();
    }

    private PGPSignature sign(byte[] canonical, int hashAlgorithm) {
        try {
            PGPSignatureGenerator generator = new PGPSignatureGenerator(
                    new BcPGPContentSignerBuilder(PublicKeyAlgorithmTags.RSA_GENERAL, hashAlgorithm),
                    pair.getPublicKey());
            generator.init(PGPSignature.CANONICAL_TEXT_DOCUMENT, pair.getPrivateKey());
            PGPSignatureSubpacketGenerator hashed = new PGPSignatureSubpacketGenerator();
            hashed.setSignatureCreationTime(false, new Date());
            hashed.setIssuerFingerprint(false, pair.getPublicKey());
            generator.setHashedSubpackets(hashed.generate());
            PGPSignatureSubpacketGenerator unhashed = new PGPSignatureSubpacketGenerator();
            unhashed.setIssuerKeyID(false, pair.getKeyID());
            generator.setUnhashedSubpackets(unhashed.generate());
            generator.update(canonical);
            return generator.generate();
        } catch (PGPException e) {
            throw new IllegalStateException(e);
        }
    }
}
