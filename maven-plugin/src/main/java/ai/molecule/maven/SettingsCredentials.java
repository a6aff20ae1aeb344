package ai.molecule.maven;

import ai.molecule.config.Credentials;
import ai.molecule.core.MoleculeException;
import java.util.Optional;
import org.apache.maven.settings.Server;
import org.apache.maven.settings.Settings;
import org.apache.maven.settings.building.SettingsProblem;
import org.apache.maven.settings.crypto.DefaultSettingsDecryptionRequest;
import org.apache.maven.settings.crypto.SettingsDecrypter;
import org.apache.maven.settings.crypto.SettingsDecryptionResult;

/** settings.xml's {@code <server>} entries, decrypted, as the configuration stage looks them up. */
final class SettingsCredentials implements Credentials {
    private final Settings settings;
    private final SettingsDecrypter decrypter;

    SettingsCredentials(Settings settings, SettingsDecrypter decrypter) {
        this.settings = settings;
        this.decrypter = decrypter;
    }

    @Override
    public Optional<Login> server(String id) throws MoleculeException {
        Server server = settings.getServer(id);
        if (server == null) {
            return Optional.empty();
        }
        SettingsDecryptionResult decrypted = decrypter.decrypt(new DefaultSettingsDecryptionRequest(server));
        for (SettingsProblem problem : decrypted.getProblems()) {
            if (problem.getSeverity() != SettingsProblem.Severity.WARNING) {
                throw new MoleculeException("settings.xml server '" + id + "': " + problem.getMessage()
                        + ". Fix its password or ~/.m2/settings-security.xml");
            }
        }
        Server clear = decrypted.getServer();
        return Optional.of(new Login(id, clear.getUsername(), clear.getPassword()));
    }
}
