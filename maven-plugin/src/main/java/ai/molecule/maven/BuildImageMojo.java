package ai.molecule.maven;

import ai.molecule.build.BuildResult;
import ai.molecule.build.ImageBuilder;
import ai.molecule.build.Target;
import ai.molecule.core.InvalidConfigurationException;
import ai.molecule.core.MoleculeException;
import ai.molecule.image.ImageSpec;
import java.io.File;
import java.io.IOException;
import javax.inject.Inject;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.settings.crypto.SettingsDecrypter;

/**
 * Builds the workspace image daemonless: Debian packages from {@code molecule.lock}, the runtime with
 * pip, the agent CLI with npm, the template's files from {@code src/main/image} and any extra file
 * sets, as content-keyed layers on a base, delivered as a docker-save tar, into the local engine, or
 * to a registry.
 */
@Mojo(name = "build-image", defaultPhase = LifecyclePhase.PACKAGE, threadSafe = true)
public class BuildImageMojo extends AbstractImageMojo {

    /** Skips this goal. */
    @Parameter(property = "molecule.build.skip", defaultValue = "false")
    boolean skip;

    /** Name of the built image, {@code [registry/]repository[:tag]}; {@code :latest} when no tag. */
    @Parameter(property = "molecule.image", defaultValue = "${project.artifactId}:${project.version}")
    String image;

    /** Where the image goes: {@code tar} (no engine needed), {@code docker} or {@code registry}. */
    @Parameter(property = "molecule.target", defaultValue = "tar")
    String target;

    /** The docker-save tar the {@code tar} target writes. */
    @Parameter(property = "molecule.tarFile", defaultValue = "${project.build.directory}/molecule/image.tar")
    File tarFile;

    /** settings.xml server holding the registry credentials; default the image's registry host. */
    @Parameter(property = "molecule.registryServerId")
    String registryServerId;

    @Inject
    public BuildImageMojo(SettingsDecrypter decrypter) {
        super(decrypter);
    }

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        if (skip) {
            getLog().info("Skipping build-image (molecule.build.skip)");
            return;
        }
        try {
            ImageBuilder.discardOutputs(tarFile.toPath(), outputDirectory.toPath());
            ImageSpec spec = imageSpec();
            BuildResult result = imageBuilder().build(spec, baseAccess(spec), target(), outputDirectory.toPath());
            getLog().info("Build report: " + outputDirectory.toPath().resolve(ImageBuilder.REPORT_FILE));
            project.getProperties().setProperty("molecule.imageId", result.imageId());
        } catch (MoleculeException e) {
            throw new MojoFailureException(e.getMessage(), e);
        } catch (IOException e) {
            throw new MojoExecutionException("Image build failed: " + e, e);
        }
    }

    private Target target() throws MoleculeException {
        switch (target == null ? "" : target.trim()) {
            case "tar":
                return new Target.Tar(image, tarFile.toPath());
            case "docker":
                return new Target.Docker(image);
            case "registry":
                return new Target.Registry(image, access(registryServerId, image));
            default:
                throw new InvalidConfigurationException(
                        "target", "unknown target '" + target + "'", "Use tar, docker or registry");
        }
    }
}
