package ai.molecule.maven;

import ai.molecule.build.DockerEngine;
import ai.molecule.core.MoleculeException;
import ai.molecule.run.LocalWorkspace;
import java.io.File;
import java.util.List;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;

/**
 * Stops and removes the workspace containers {@code molecule:run} started for this template (found
 * by their {@code ai.molecule.run} label, from any shell), and takes the planted token out of the
 * local {@code /configs} again. A {@code molecule:run} still attached to one of them ends.
 */
@Mojo(name = "stop", threadSafe = true)
public class StopMojo extends AbstractMojo {

    /** Skips this goal. */
    @Parameter(property = "molecule.stop.skip", defaultValue = "false")
    boolean skip;

    /** The host directory {@code molecule:run} mounted at {@code /configs}. */
    @Parameter(
            property = "molecule.run.configsDirectory",
            defaultValue = "${project.build.directory}/molecule/run/configs")
    File configsDirectory;

    /** The image {@code molecule:run} ran; where the token is root-owned, a container of it removes the token. */
    @Parameter(property = "molecule.image", defaultValue = "${project.artifactId}:${project.version}")
    String image;

    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    MavenProject project;

    @Override
    public void execute() throws MojoFailureException {
        if (skip) {
            getLog().info("Skipping stop (molecule.stop.skip)");
            return;
        }
        try {
            DockerEngine engine = new DockerEngine();
            List<String> stopped = LocalWorkspace.stopAll(engine, project.getGroupId() + ":" + project.getArtifactId());
            LocalWorkspace.clearToken(engine, configsDirectory.toPath(), image);
            getLog().info(
                            stopped.isEmpty()
                                    ? "No workspace of " + project.getArtifactId() + " is running"
                                    : "Stopped and removed " + String.join(", ", stopped));
        } catch (MoleculeException e) {
            throw new MojoFailureException(e.getMessage(), e);
        }
    }
}
