package ai.molecule.maven;

import ai.molecule.build.DockerEngine;
import ai.molecule.config.ConfigurationProcessor;
import ai.molecule.config.Credentials;
import ai.molecule.core.MoleculeException;
import ai.molecule.run.DevLoop;
import ai.molecule.run.LocalWorkspace;
import ai.molecule.run.RunRequest;
import ai.molecule.run.WorkspaceBuild;
import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import javax.inject.Inject;
import org.apache.maven.lifecycle.internal.LifecycleExecutionPlanCalculator;
import org.apache.maven.plugin.MavenPluginManager;
import org.apache.maven.plugin.MojoExecution;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.DefaultProjectBuildingRequest;
import org.apache.maven.project.MavenProject;
import org.apache.maven.project.ProjectBuilder;
import org.apache.maven.project.ProjectBuildingRequest;
import org.apache.maven.settings.crypto.SettingsDecrypter;

/**
 * Builds the image into the local engine (validate, then only the layers whose inputs changed) and
 * runs the workspace the way the provisioner starts it: the gate's shape ({@code --privileged}, or
 * its fallback where the engine refuses it), {@code --pid=host}, the host root at {@code /host},
 * the docker socket, a local {@code /configs} with the token planted root-owned before boot, an
 * optional {@code /workspace}, the image's entrypoint. Streams the boot log with secret values
 * masked until Ctrl-C or {@code molecule:stop}, which remove the container. With {@code
 * -Dmolecule.watch} it stays resident and rebuilds and restarts the workspace on every change under
 * the template's directory.
 */
@Mojo(name = "run", threadSafe = true)
public class RunMojo extends AbstractImageMojo {

    /** Skips this goal. */
    @Parameter(property = "molecule.run.skip", defaultValue = "false")
    boolean skip;

    /** Name of the image built into the engine and run, {@code repository[:tag]}. */
    @Parameter(property = "molecule.image", defaultValue = "${project.artifactId}:${project.version}")
    String image;

    /** Name of the workspace container. */
    @Parameter(property = "molecule.run.name", defaultValue = "molecule-run-${project.artifactId}")
    String name;

    /** Stay resident: rebuild and restart the workspace on every change under the template's directory. */
    @Parameter(property = "molecule.watch", defaultValue = "false")
    boolean watch;

    /** Start the workspace and return, leaving it running until {@code molecule:stop}. */
    @Parameter(property = "molecule.run.detach", defaultValue = "false")
    boolean detach;

    /** Host directory mounted at {@code /configs}; the token is planted here before boot. */
    @Parameter(
            property = "molecule.run.configsDirectory",
            defaultValue = "${project.build.directory}/molecule/run/configs")
    File configsDirectory;

    /** Host directory mounted at {@code /workspace}; none when unset. */
    @Parameter(property = "molecule.run.workspaceDirectory")
    File workspaceDirectory;

    /**
     * Extra environment of the workspace, {@code NAME=value} or a bare {@code NAME} that passes
     * Maven's own variable (how a secret stays off the command line), e.g. {@code
     * -Dmolecule.run.env=ANTHROPIC_API_KEY,LOG_LEVEL=debug}. Every value is masked in the log.
     */
    @Parameter(property = "molecule.run.env")
    List<String> env = new ArrayList<>();

    /** settings.xml server whose password is the token planted at {@code /configs/.auth_token}. */
    @Parameter(property = "molecule.run.tokenServerId")
    String tokenServerId;

    /** Environment variable holding the token, used when no {@code tokenServerId} is given. */
    @Parameter(property = "molecule.run.tokenVariable", defaultValue = "MOLECULE_AUTH_TOKEN")
    String tokenVariable;

    @Parameter(defaultValue = "${mojoExecution}", readonly = true, required = true)
    MojoExecution mojoExecution;

    private final ProjectBuilder projectBuilder;
    private final LifecycleExecutionPlanCalculator executionPlan;
    private final MavenPluginManager pluginManager;

    @Inject
    public RunMojo(
            SettingsDecrypter decrypter,
            ProjectBuilder projectBuilder,
            LifecycleExecutionPlanCalculator executionPlan,
            MavenPluginManager pluginManager) {
        super(decrypter);
        this.projectBuilder = projectBuilder;
        this.executionPlan = executionPlan;
        this.pluginManager = pluginManager;
    }

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        if (skip) {
            getLog().info("Skipping run (molecule.run.skip)");
            return;
        }
        MojoBuildLog log = new MojoBuildLog(getLog());
        try {
            RunRequest request = new RunRequest(
                    image,
                    name,
                    project.getGroupId() + ":" + project.getArtifactId(),
                    configsDirectory.toPath(),
                    workspaceDirectory == null ? null : workspaceDirectory.toPath(),
                    RunRequest.environment(env, System.getenv(), "molecule.run.env"),
                    token());
            WorkspaceBuild build =
                    new WorkspaceBuild(this::configuration, imageBuilder(), image, outputDirectory.toPath());
            WorkspaceBuild.Built built = build.build(false);
            LocalWorkspace workspace = new LocalWorkspace(new DockerEngine(), request, log);
            getLog().info("Workspace shape: " + workspace.shape().describe());
            if (detach) {
                workspace.startDetached();
                getLog().info("Workspace " + name + " running " + image + ", left running: `docker logs -f " + name
                        + "` shows its log, `mvn molecule:stop` stops and removes it. A shell as the agent: "
                        + workspace.execHint());
                return;
            }
            workspace.start();
            getLog().info("Workspace " + name + " running " + image + ". A shell as the agent: "
                    + workspace.execHint());
            if (watch) {
                new DevLoop(project.getBasedir().toPath(), project.getFile().toPath(), build, workspace, log)
                        .watch(built.imageId());
            } else {
                int exit = workspace.awaitExit();
                workspace.stop();
                if (exit != 0 && exit != 137 && exit != 143) {
                    throw new MojoFailureException("The workspace exited with code " + exit + "; its log is above");
                }
                getLog().info("The workspace stopped (exit " + exit + ")");
            }
        } catch (MoleculeException e) {
            throw new MojoFailureException(e.getMessage(), e);
        } catch (IOException e) {
            throw new MojoExecutionException("molecule:run failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MojoExecutionException("molecule:run interrupted", e);
        }
    }

    /** The token: the settings.xml server's password, else the environment variable, never the POM. */
    private String token() throws MoleculeException {
        if (tokenServerId != null && !tokenServerId.isBlank()) {
            Credentials.Login login = credentials()
                    .server(tokenServerId)
                    .orElseThrow(() -> new MoleculeException("molecule.run.tokenServerId: settings.xml has no server '"
                            + tokenServerId + "'. Add <server><id>" + tokenServerId
                            + "</id><password>…</password></server> to ~/.m2/settings.xml"));
            return login.password();
        }
        String token = System.getenv(tokenVariable);
        if (token == null || token.isEmpty()) {
            getLog().info("No token planted: " + tokenVariable + " is not set and no molecule.run.tokenServerId"
                    + " is given");
            return null;
        }
        return token;
    }

    /**
     * The image parameters of the next build: this goal's own, or, once the POM changed, those of a
     * copy of this goal configured from the POM read again (as Maven configures a goal at start).
     */
    private ConfigurationProcessor configuration(boolean pomChanged) throws MoleculeException {
        if (!pomChanged) {
            return configuration();
        }
        MavenProject current = session.getCurrentProject();
        try {
            ProjectBuildingRequest request = new DefaultProjectBuildingRequest(session.getProjectBuildingRequest());
            request.setProject(null);
            request.setResolveDependencies(false);
            MavenProject reread =
                    projectBuilder.build(project.getFile(), request).getProject();
            MojoExecution execution = new MojoExecution(
                    mojoExecution.getMojoDescriptor(), mojoExecution.getExecutionId(), mojoExecution.getSource());
            executionPlan.setupMojoExecution(session, reread, execution);
            session.setCurrentProject(reread);
            // Looked up by the role every goal has; ours is this class.
            Object configured = pluginManager.getConfiguredMojo(org.apache.maven.plugin.Mojo.class, session, execution);
            try {
                return ((RunMojo) configured).configuration();
            } finally {
                pluginManager.releaseMojo(configured, execution);
            }
        } catch (Exception e) {
            StringBuilder message = new StringBuilder(String.valueOf(e.getMessage()));
            for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
                message.append(": ").append(cause.getMessage());
            }
            throw new MoleculeException(project.getFile() + ": " + message);
        } finally {
            session.setCurrentProject(current);
        }
    }
}
