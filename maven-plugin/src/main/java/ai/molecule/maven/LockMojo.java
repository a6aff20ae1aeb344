package ai.molecule.maven;

import ai.molecule.config.ConfigurationProcessor;
import ai.molecule.core.MoleculeException;
import ai.molecule.image.ImageSpec;
import ai.molecule.lock.LockChanges;
import ai.molecule.lock.LockRequest;
import ai.molecule.lock.MoleculeLock;
import java.io.IOException;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import javax.inject.Inject;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.settings.crypto.SettingsDecrypter;

/**
 * Writes {@code molecule.lock}: every Debian package (against the signed archive and the base's
 * installed packages), npm package and pip distribution of the image, each with its version, source
 * and hash, and the inputs they were resolved from. Locking is not upgrading: what is locked and
 * whose inputs did not change stays; {@code -Dmolecule.lock.upgrade} or {@code
 * -Dmolecule.lock.update=name,…} ask for newer versions. It prints what changed per ecosystem.
 * Commit the file; {@code build-image} installs exactly what it names.
 */
@Mojo(name = "lock", threadSafe = true)
public class LockMojo extends AbstractImageMojo {

    /** Skips this goal. */
    @Parameter(property = "molecule.lock.skip", defaultValue = "false")
    boolean skip;

    /** Resolves every component afresh, taking the newest versions the inputs allow. */
    @Parameter(property = "molecule.lock.upgrade", defaultValue = "false")
    boolean upgrade;

    /**
     * Comma-separated names to resolve afresh, with what they depend on, in any ecosystem: Debian
     * packages, npm packages ({@code @scope/name}), pip projects.
     */
    @Parameter(property = "molecule.lock.update")
    String update;

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
            MoleculeLock previous = lockFile.exists() ? MoleculeLock.read(lockFile.toPath()) : null;
            if (previous != null && previous.format() != MoleculeLock.FORMAT) {
                getLog().info(lockFile + " is in lock format " + previous.format() + "; writing it as format "
                        + MoleculeLock.FORMAT + " (a section per ecosystem), keeping its Debian packages");
            }
            LockRequest request = new LockRequest(upgrade, names(update));
            MoleculeLock lock = imageBuilder()
                    .lock(spec, configuration.baseAccess(spec), outputDirectory.toPath(), previous, request);
            lock.write(lockFile.toPath());
            getLog().info("Wrote " + lockFile + (previous == null ? " (new)" : "") + ":");
            LockChanges.between(previous, lock).forEach(line -> getLog().info("  " + line));
        } catch (MoleculeException e) {
            throw new MojoFailureException(e.getMessage(), e);
        } catch (IOException e) {
            throw new MojoExecutionException("Locking failed: " + e, e);
        }
    }

    private static Set<String> names(String list) {
        Set<String> names = new TreeSet<>();
        if (list != null) {
            Arrays.stream(list.split(","))
                    .map(String::strip)
                    .filter(n -> !n.isEmpty())
                    .forEach(names::add);
        }
        return names;
    }
}
