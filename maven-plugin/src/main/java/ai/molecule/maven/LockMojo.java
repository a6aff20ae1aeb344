package ai.molecule.maven;

import ai.molecule.config.ConfigurationProcessor;
import ai.molecule.core.MoleculeException;
import ai.molecule.debian.LockFile;
import ai.molecule.image.ImageSpec;
import java.io.IOException;
import javax.inject.Inject;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.settings.crypto.SettingsDecrypter;

/**
 * Resolves the {@code <debian>} packages against the signed archive (and the base's installed
 * packages) and writes {@code molecule.lock}: every package of the closure with its version, archive
 * path, size and SHA-256. Commit the file; {@code build-image} installs exactly what it names.
 */
@Mojo(name = "lock", threadSafe = true)
public class LockMojo extends AbstractImageMojo {

    /** Skips this goal. */
    @Parameter(property = "molecule.lock.skip", defaultValue = "false")
    boolean skip;

    @Inject
    public LockMojo(SettingsDecrypter decrypter) {
        super(decrypter);
    }

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        if (skip) {
            getLog().info("Skipping lock (molecule.lock.skip)");
            return;
        }
        try {
            ConfigurationProcessor configuration = configuration();
            ImageSpec spec = configuration.lockSpec();
            LockFile lock = imageBuilder().lock(spec, configuration.baseAccess(spec), outputDirectory.toPath());
            lock.write(lockFile.toPath());
            getLog().info("Wrote " + lockFile + " (" + lock.packages().size() + " packages)");
        } catch (MoleculeException e) {
            throw new MojoFailureException(e.getMessage(), e);
        } catch (IOException e) {
            throw new MojoExecutionException("Locking failed: " + e, e);
        }
    }
}
