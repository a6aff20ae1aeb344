package ai.molecule.debian;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrustedKeysTest {
    @TempDir
    Path dir;

    @Test
    void builtInKeysAreDebiansBookwormAndTrixieArchiveKeys() {
        TrustedKeys keys = TrustedKeys.debian();

        assertThat(keys.fingerprints())
                .containsExactly(
                        "B8B80B5B623EAB6AD8775C45B7C5D7D6350947F8",
                        "05AB90340C0C5E797F44A8C8254CF3B5AEC0A8F0",
                        "4D64FEC119C2029067D6E791F8D2585B8783D481",
                        "04B54C3CDCA79751B16BC6B5225629DF75B188BD",
                        "5E04A1E3223A19A20706E20F9904613D4CCE68C6",
                        "41587F7DB8C774BCCF131416762F67A0B2C39DE4");
        assertThat(keys.keys().get(0).userId())
                .isEqualTo("Debian Archive Automatic Signing Key (12/bookworm) <ftpmaster@debian.org>");
        assertThat(keys.keys().get(0).source()).isEqualTo("debian-archive-bookworm-automatic.asc");
    }

    @Test
    void armoredAndBinaryKeyringsAreBothTrustedAfterDebiansKeys() throws Exception {
        Path armored = TestSigner.TRUSTED.writeArmoredPublicKey(dir.resolve("archive.asc"));
        Path binary = TestSigner.STRANGER.writeBinaryPublicKey(dir.resolve("other.gpg"));

        TrustedKeys keys = TrustedKeys.withKeyrings(List.of(armored, binary));

        assertThat(keys.fingerprints())
                .hasSize(8)
                .endsWith(TestSigner.TRUSTED.fingerprint(), TestSigner.STRANGER.fingerprint());
        assertThat(keys.keys().get(6).source()).isEqualTo(armored.toString());
        assertThat(keys.keys().get(7).userId()).isEqualTo("Someone Else <stranger@example.invalid>");
    }

    @Test
    void armoredFileWithSeveralKeyBlocksTrustsEachKey() throws Exception {
        Path first = TestSigner.TRUSTED.writeArmoredPublicKey(dir.resolve("a.asc"));
        Path second = TestSigner.STRANGER.writeArmoredPublicKey(dir.resolve("b.asc"));
        Path both =
                Files.writeString(dir.resolve("both.asc"), Files.readString(first) + "\n" + Files.readString(second));

        assertThat(TrustedKeys.withKeyrings(List.of(both)).fingerprints())
                .endsWith(TestSigner.TRUSTED.fingerprint(), TestSigner.STRANGER.fingerprint());
    }

    @Test
    void missingKeyringNamesThePath() {
        Path missing = dir.resolve("nowhere.asc");

        assertThatThrownBy(() -> TrustedKeys.withKeyrings(List.of(missing)))
                .isInstanceOf(KeyringException.class)
                .hasMessageStartingWith("keyring " + missing.toAbsolutePath() + " does not exist");
    }

    @Test
    void fileThatHoldsNoPublicKeyIsRefused() throws Exception {
        Path notAKey = Files.writeString(dir.resolve("notes.txt"), "just some notes\n");
        Path emptyArmor = Files.writeString(dir.resolve("empty.asc"), "-----BEGIN PGP MESSAGE-----\n\n");

        assertThatThrownBy(() -> TrustedKeys.withKeyrings(List.of(notAKey)))
                .isInstanceOf(KeyringException.class)
                .hasMessageContaining("keyring " + notAKey.toAbsolutePath())
                .hasMessageContaining("gpg --export --armor");
        assertThatThrownBy(() -> TrustedKeys.withKeyrings(List.of(emptyArmor)))
                .isInstanceOf(KeyringException.class)
                .hasMessageContaining("holds no public key");
    }
}
