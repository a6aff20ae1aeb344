package ai.molecule.debian;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClearSignedMessageTest {
    /** Made once with GnuPG 2.2 (gpg --digest-algo SHA512 --clearsign gpg-original.txt), so the rules are gpg's. */
    private static final String GPG_FINGERPRINT = "B141F5E7BD63B166BB732C94DE2C2E5B698EB97D";

    @TempDir
    Path dir;

    @Test
    void gpgClearsignedTextWithDashEscapesAndTrailingWhitespaceVerifiesAndIsRecoveredExactly() throws Exception {
        ClearSignedMessage message = ClearSignedMessage.parse(resource("gpg-clearsigned.asc"));

        ClearSignedMessage.Verdict verdict = message.verify(gpgKeys(), Instant.now());

        assertThat(verdict.trusted()).containsExactly(GPG_FINGERPRINT);
        assertThat(verdict.others()).isEmpty();
        assertThat(message.text()).isEqualTo(new String(resource("gpg-original.txt"), StandardCharsets.UTF_8));
    }

    @Test
    void gpgClearsignedTextWithCrlfLineEndingsStillVerifies() throws Exception {
        String crlf = new String(resource("gpg-clearsigned.asc"), StandardCharsets.UTF_8).replace("\n", "\r\n");

        ClearSignedMessage message = ClearSignedMessage.parse(crlf.getBytes(StandardCharsets.UTF_8));

        assertThat(message.verify(gpgKeys(), Instant.now()).trusted()).containsExactly(GPG_FINGERPRINT);
    }

    @Test
    void oneChangedCharacterInTheSignedTextBreaksTheSignature() throws Exception {
        String altered =
                new String(resource("gpg-clearsigned.asc"), StandardCharsets.UTF_8).replace("Müller", "Muller");

        ClearSignedMessage.Verdict verdict = ClearSignedMessage.parse(altered.getBytes(StandardCharsets.UTF_8))
                .verify(gpgKeys(), Instant.now());

        assertThat(verdict.trusted()).isEmpty();
        assertThat(verdict.others()).containsExactly(GPG_FINGERPRINT + " (signature does not match)");
    }

    @Test
    void removingADashEscapeChangesNothingButAddingALineDoes() throws Exception {
        String signed = new String(resource("gpg-clearsigned.asc"), StandardCharsets.UTF_8);

        String unescaped = signed.replace("- --double dash", "--double dash");
        String extraLine = signed.replace("last line\n", "last line\nInjected: yes\n");

        assertThat(ClearSignedMessage.parse(unescaped.getBytes(StandardCharsets.UTF_8))
                        .verify(gpgKeys(), Instant.now())
                        .trusted())
                .containsExactly(GPG_FINGERPRINT);
        assertThat(ClearSignedMessage.parse(extraLine.getBytes(StandardCharsets.UTF_8))
                        .verify(gpgKeys(), Instant.now())
                        .trusted())
                .isEmpty();
    }

    @Test
    void signaturesByUnknownKeysAreIgnoredWhenATrustedKeySigned() throws Exception {
        String text = "Suite: stable\nCodename: molecule\n- dashed\n";
        byte[] signed = TestSigner.clearsign(text, TestSigner.STRANGER, TestSigner.TRUSTED)
                .getBytes(StandardCharsets.UTF_8);

        ClearSignedMessage message = ClearSignedMessage.parse(signed);
        ClearSignedMessage.Verdict verdict = message.verify(testKeys(), Instant.now());

        assertThat(verdict.trusted()).containsExactly(TestSigner.TRUSTED.fingerprint());
        assertThat(verdict.others()).containsExactly(TestSigner.STRANGER.fingerprint() + " (not a trusted key)");
        assertThat(message.text()).isEqualTo(text);
    }

    @Test
    void sha1SignatureDoesNotCount() throws Exception {
        byte[] signed = TestSigner.clearsign("Suite: stable\n", HashAlgorithmTags.SHA1, TestSigner.TRUSTED)
                .getBytes(StandardCharsets.UTF_8);

        ClearSignedMessage.Verdict verdict = ClearSignedMessage.parse(signed).verify(testKeys(), Instant.now());

        assertThat(verdict.trusted()).isEmpty();
        assertThat(verdict.others()).singleElement().asString().contains("weak digest algorithm");
    }

    @Test
    void textOutsideTheSignedBlockIsRefused() {
        String signed = TestSigner.clearsign("Suite: stable\n", TestSigner.TRUSTED);

        assertThatThrownBy(() -> ClearSignedMessage.parse(("Suite: evil\n" + signed).getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("does not start with -----BEGIN PGP SIGNED MESSAGE-----");
        assertThatThrownBy(
                        () -> ClearSignedMessage.parse((signed + "\nSuite: evil\n").getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("follows the signature");
        assertThatThrownBy(() -> ClearSignedMessage.parse("Suite: stable\n".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IOException.class);
    }

    @Test
    void inReleaseExposesItsSignedFieldsAndSha256List() throws Exception {
        String text = "Suite: stable-security\nCodename: molecule-security\n"
                + "Valid-Until: Tue, 01 Dec 2099 00:34:33 UTC\nAcquire-By-Hash: yes\n"
                + "Architectures: amd64 arm64\nComponents: updates/main\nMD5Sum:\n"
                + " 0123456789abcdef0123456789abcdef 12 main/binary-amd64/Packages\nSHA256:\n "
                + "a".repeat(64) + " 12 main/binary-amd64/Packages\n " + "b".repeat(64)
                + "    7 main/binary-amd64/Packages.xz\n";
        byte[] signed = TestSigner.clearsign(text, TestSigner.TRUSTED).getBytes(StandardCharsets.UTF_8);
        URI url = URI.create("http://127.0.0.1/debian-security/dists/molecule-security/InRelease");

        InRelease release = InRelease.verify(signed, url, "molecule-security", testKeys(), Instant.now(), false);

        assertThat(release.codename()).isEqualTo("molecule-security");
        assertThat(release.validUntil()).contains(Instant.parse("2099-12-01T00:34:33Z"));
        assertThat(release.acquireByHash()).isTrue();
        assertThat(release.architectures()).containsExactly("amd64", "arm64");
        assertThat(release.files()).hasSize(2);
        assertThat(release.file("main/binary-amd64/Packages.xz"))
                .contains(new InRelease.IndexFile("main/binary-amd64/Packages.xz", 7, "b".repeat(64)));
        assertThat(release.signedBy()).containsExactly(TestSigner.TRUSTED.fingerprint());
        assertThat(InRelease.verify(signed, url, "stable-security", testKeys(), Instant.now(), false)
                        .suite())
                .isEqualTo("stable-security");
        assertThatThrownBy(() -> InRelease.verify(signed, url, "molecule", testKeys(), Instant.now(), false))
                .isInstanceOf(ArchiveIntegrityException.class)
                .hasMessageContaining("not molecule");
    }

    @Test
    void inReleaseThatIsNoClearsignedFileIsRefusedNamingTheUrl() {
        URI url = URI.create("http://127.0.0.1/debian/dists/molecule/InRelease");
        byte[] portal = "<html>Please log in</html>".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> InRelease.verify(portal, url, "molecule", testKeys(), Instant.now(), false))
                .isInstanceOf(ArchiveIntegrityException.class)
                .hasMessageContaining("InRelease of molecule at " + url + " is not a valid clearsigned file");
    }

    private TrustedKeys gpgKeys() throws Exception {
        Path key = dir.resolve("gpg-signer.asc");
        Files.write(key, resource("gpg-signer.asc"));
        return TrustedKeys.withKeyrings(List.of(key));
    }

    private TrustedKeys testKeys() throws Exception {
        return TrustedKeys.withKeyrings(List.of(TestSigner.TRUSTED.writeArmoredPublicKey(dir.resolve("test.asc"))));
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = ClearSignedMessageTest.class.getResourceAsStream(name)) {
            return in.readAllBytes();
        }
    }
}
