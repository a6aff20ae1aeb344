package ai.molecule.conformance;

import ai.molecule.contract.RunShape;
import ai.molecule.contract.ShapeProbe;
import ai.molecule.contract.WorkspaceContract;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.testcontainers.containers.BindMode;
import org.testcontainers.containers.Container;
import org.testcontainers.containers.ExecConfig;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * A workspace image booted through its own entrypoint in the provisioner's T4 shape: {@code
 * --privileged --pid=host -v /:/host -v /var/run/docker.sock:/var/run/docker.sock} (or the fallback
 * shape where the engine refuses {@code --privileged}, see {@link RunShape}). The image must already
 * be in the engine; it is never pulled.
 */
public class WorkspaceContainer<SELF extends WorkspaceContainer<SELF>> extends GenericContainer<SELF> {
    public static final String DOCKER_SOCKET = WorkspaceContract.DOCKER_SOCKET;
    public static final String HOST_ROOT = WorkspaceContract.HOST_ROOT;
    public static final String CONFIGS = WorkspaceContract.CONFIGS;
    /** Keeps the container up without depending on the template's runtime; see {@link #withWorkload}. */
    public static final List<String> DEFAULT_WORKLOAD = List.of("sleep", "infinity");

    private final String image;
    private RunShape shape;

    public WorkspaceContainer(String image) {
        super(DockerImageName.parse(image));
        this.image = image;
        withImagePullPolicy(name -> false);
        withFileSystemBind("/", HOST_ROOT, BindMode.READ_WRITE);
        withFileSystemBind(DOCKER_SOCKET, DOCKER_SOCKET, BindMode.READ_WRITE);
        withCreateContainerCmdModifier(cmd -> {
            cmd.getHostConfig().withPidMode(ShapeProbe.PID_MODE);
            LocalEngine.apply(shape, cmd.getHostConfig());
        });
        withWorkload(DEFAULT_WORKLOAD.toArray(String[]::new));
    }

    /** Mounts a host directory at {@code /configs}, as the provisioner does. */
    public SELF withConfigs(Path hostDirectory) {
        return withFileSystemBind(hostDirectory.toAbsolutePath().toString(), CONFIGS, BindMode.READ_WRITE);
    }

    /** The CMD the entrypoint hands over to; the container counts as started once it runs. */
    public SELF withWorkload(String... command) {
        withCommand(command);
        return waitingFor(new WorkloadStarted(List.of(command)));
    }

    @Override
    public void start() {
        LocalEngine.requirePresent(image);
        shape = LocalEngine.shape(image);
        super.start();
    }

    /** The shape this container ran in; known once started. */
    public RunShape shape() {
        return shape;
    }

    public String image() {
        return image;
    }

    /** Host pid of the container's main process: the workload, once the entrypoint exec'd it. */
    public long workloadPid() {
        return getContainerInfo().getState().getPidLong();
    }

    /** Runs a command as {@code agent}, with the given extra environment. */
    public Container.ExecResult execAsAgent(Map<String, String> env, String... command) {
        return exec(WorkspaceContract.AGENT, env, command);
    }

    public Container.ExecResult execAsAgent(String... command) {
        return exec(WorkspaceContract.AGENT, Map.of(), command);
    }

    public Container.ExecResult execAsRoot(String... command) {
        return exec("0", Map.of(), command);
    }

    private Container.ExecResult exec(String user, Map<String, String> env, String... command) {
        try {
            return execInContainer(ExecConfig.builder()
                    .user(user)
                    .envVars(env)
                    .command(command)
                    .build());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + List.of(command), e);
        } catch (Exception e) {
            throw new IllegalStateException(
                    "cannot run " + List.of(command) + " as " + user + ": " + e.getMessage(), e);
        }
    }
}
