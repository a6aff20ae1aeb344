package ai.molecule.maven;

import ai.molecule.config.ConfigurationProcessor;
import ai.molecule.core.MoleculeException;
import ai.molecule.validate.Validator;
import java.io.IOException;
import javax.inject.Inject;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.settings.crypto.SettingsDecrypter;

/**
 * Checks the template before anything is built: sudoers drop-ins, shell scripts, YAML/TOML/JSON
 * files, credential-shaped strings and the workspace contract paths. Reports every violation,
 * numbered, then fails once. It looks up no login and writes nothing but a temporary copy of the
 * workspace assets.
 */
@Mojo(name = "validate", defaultPhase = LifecyclePhase.VALIDATE, threadSafe = true)
public class ValidateMojo extends AbstractImageMojo {

    /** Skips this goal. */
    @Parameter(property = "molecule.validate.skip", defaultValue = "false")
    boolean skip;

    @Inject
    public ValidateMojo(SettingsDecrypter decrypter) {
        super(decrypter);
    }

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        if (skip) {
            getLog().info("Skipping validate (molecule.validate.skip)");
            return;
        }
        try {
            ConfigurationProcessor configuration = configuration();
            Validator.standard()
                    .validate(
                            configuration.projectDirectory(),
                            configuration::validationLayers,
                            configuration.workspaceImage(),
                            new MojoBuildLog(getLog()));
        } catch (MoleculeException e) {
            throw new MojoFailureException(e.getMessage(), e);
        } catch (IOException e) {
            throw new MojoExecutionException("Validation could not read the template: " + e, e);
        }
    }
}
