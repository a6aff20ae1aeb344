package ai.molecule.run;

import ai.molecule.build.DockerEngine;
import ai.molecule.contract.RunShape;
import ai.molecule.contract.ShapeProbe;
import ai.molecule.contract.WorkspaceContract;
import ai.molecule.core.BuildLog;
import ai.molecule.core.MoleculeException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * One workspace container on the local engine, started the way the provisioner starts it: in the
 * {@link ShapeProbe probed} shape, {@code --pid=host}, the host root at {@code /host}, the docker
 * socket, {@code /configs} with the token planted root-owned before boot, and the image's own
 * entrypoint. Its boot log is streamed with secret values masked. It can be restarted on a new
 * image under the same name, and is stopped and removed by {@link #stop}, by JVM exit (Ctrl-C), or by
 * {@code molecule:stop} from another shell.
 */
public final class LocalWorkspace {
    /** Label of every container {@code molecule:run} starts; its value names the template. */
    public static final String LABEL = "ai.molecule.run";

    private static final String TOKEN_FILE =
            WorkspaceContract.AUTH_TOKEN.substring(WorkspaceContract.CONFIGS.length() + 1);

    private final DockerEngine engine;
    private final RunRequest request;
    private final BuildLog log;
    private final SecretMask mask;
    private final Thread onExit = new Thread(this::stopQuietly, "molecule-run-stop");
    private RunShape shape;
    private String containerId;
    private Process logs;
    private final Set<String> retired = ConcurrentHashMap.newKeySet();
    private boolean hooked;

    public LocalWorkspace(DockerEngine engine, RunRequest request, BuildLog log) {
        this.engine = engine;
        this.request = request;
        this.log = log;
        List<String> secrets = new ArrayList<>(request.environment().values());
        secrets.add(request.token());
        this.mask = new SecretMask(secrets);
    }

    /** The shape the engine allows, probed once with the gate's own {@link ShapeProbe}. */
    public synchronized RunShape shape() throws MoleculeException {
        if (shape == null) {
            try {
                shape = ShapeProbe.probe(this::probe, request.image());
            } catch (IllegalStateException e) {
                throw new MoleculeException(e.getMessage());
            }
        }
        return shape;
    }

    /**
     * Starts the workspace on its image (after removing a container this template left under its
     * name), streaming its log and stopping it when the JVM exits.
     */
    public synchronized String start() throws MoleculeException {
        if (!hooked) {
            removeLeftover();
            Runtime.getRuntime().addShutdownHook(onExit);
            hooked = true;
        }
        return launch(true);
    }

    /** Starts the workspace and leaves it running past this JVM, until {@code molecule:stop}. */
    public synchronized String startDetached() throws MoleculeException {
        removeLeftover();
        return launch(false);
    }

    private String launch(boolean attach) throws MoleculeException {
        RunShape started = shape();
        plantToken();
        DockerEngine.Result run = engine.docker(runArguments(started), request.environment());
        if (run.exit() != 0) {
            throw new MoleculeException("docker run of " + request.image() + " failed: "
                    + mask.apply(run.stderr().strip()));
        }
        containerId = run.stdout().strip();
        if (attach) {
            follow(containerId);
        }
        return containerId;
    }

    /**
     * Starts the workspace again, on whatever the image reference now names. The old container is
     * renamed out of the way and removed in the background, so the new one starts at once.
     */
    public synchronized String restart() throws MoleculeException {
        String previous = containerId;
        unfollow();
        containerId = null;
        if (previous != null) {
            DockerEngine.Result renamed =
                    engine.docker(List.of("rename", previous, request.name() + "-retired-" + previous), Map.of());
            if (renamed.exit() != 0) {
                remove(previous);
            } else {
                retire(previous);
            }
        }
        return launch(true);
    }

    /** Waits for the workspace's main process to end; its exit code. */
    public int awaitExit() throws MoleculeException {
        String id;
        synchronized (this) {
            id = containerId;
        }
        DockerEngine.Result wait = engine.docker(List.of("wait", id), Map.of());
        String code = wait.stdout().strip();
        return wait.exit() == 0 && !code.isEmpty() ? Integer.parseInt(code) : 137;
    }

    /** Stops and removes the container and takes the token out of {@code /configs} again. */
    public synchronized void stop() throws MoleculeException {
        remove();
        clearToken();
        if (hooked) {
            try {
                Runtime.getRuntime().removeShutdownHook(onExit);
            } catch (IllegalStateException e) {
                // The JVM is exiting and this is the hook itself.
            }
            hooked = false;
        }
    }

    /** The command that opens a shell in the workspace as the agent. */
    public String execHint() {
        return "docker exec -it -u " + WorkspaceContract.AGENT + " " + request.name() + " "
                + WorkspaceContract.AGENT_SHELL;
    }

    /** Removes every container {@code molecule:run} started for {@code project}; their names. */
    public static List<String> stopAll(DockerEngine engine, String project) throws MoleculeException {
        DockerEngine.Result listed = engine.docker(
                List.of("ps", "-a", "--filter", "label=" + LABEL + "=" + project, "--format", "{{.Names}}"), Map.of());
        if (listed.exit() != 0) {
            throw new MoleculeException("docker ps failed: " + listed.stderr().strip());
        }
        List<String> names =
                listed.stdout().lines().filter(line -> !line.isBlank()).toList();
        if (!names.isEmpty()) {
            List<String> remove = new ArrayList<>(List.of("rm", "-f"));
            remove.addAll(names);
            DockerEngine.Result removed = engine.docker(remove, Map.of());
            if (removed.exit() != 0) {
                throw new MoleculeException(
                        "docker rm failed: " + removed.stderr().strip());
            }
        }
        return names;
    }

    /**
     * Removes the planted token from a configs directory a stopped workspace left; as root in a
     * container of {@code image} when the directory is root-owned and this JVM is not root.
     */
    public static void clearToken(DockerEngine engine, Path configs, String image) throws MoleculeException {
        try {
            Files.deleteIfExists(configs.resolve(TOKEN_FILE));
        } catch (AccessDeniedException e) {
            asRoot(engine, configs, image, "rm -f /m/" + TOKEN_FILE, Map.of(), text -> text);
        } catch (IOException e) {
            throw new MoleculeException("Cannot remove the planted token from " + configs + ": " + e.getMessage());
        }
    }

    private List<String> runArguments(RunShape started) {
        List<String> args = new ArrayList<>(List.of(
                "run",
                "-d",
                "--name",
                request.name(),
                "--label",
                LABEL + "=" + request.project(),
                "--pid",
                ShapeProbe.PID_MODE));
        args.addAll(started.dockerRunOptions());
        args.addAll(bind("/", WorkspaceContract.HOST_ROOT));
        args.addAll(bind(WorkspaceContract.DOCKER_SOCKET, WorkspaceContract.DOCKER_SOCKET));
        args.addAll(bind(request.configs().toAbsolutePath().toString(), WorkspaceContract.CONFIGS));
        if (request.workspace() != null) {
            args.addAll(bind(request.workspace().toAbsolutePath().toString(), WorkspaceContract.WORKSPACE));
        }
        // The values travel in the CLI's environment, never on its command line.
        request.environment().keySet().forEach(name -> args.addAll(List.of("-e", name)));
        args.add(request.image());
        return args;
    }

    private static List<String> bind(String host, String container) {
        return List.of("-v", host + ":" + container);
    }

    private ShapeProbe.Result probe(String image, RunShape probed, String... command) throws ShapeProbe.Refused {
        List<String> args = new ArrayList<>(List.of(
                "run",
                "--rm",
                "--user",
                "0",
                "--pid",
                ShapeProbe.PID_MODE,
                "--label",
                LABEL + "=probe",
                "--entrypoint",
                command[0]));
        if (probed != null) {
            args.addAll(probed.dockerRunOptions());
        }
        args.add(image);
        args.addAll(Arrays.asList(command).subList(1, command.length));
        DockerEngine.Result result;
        try {
            result = engine.docker(args, Map.of());
        } catch (MoleculeException e) {
            throw new ShapeProbe.Refused(e.getMessage());
        }
        // docker run exits 125 when the engine refuses the container itself.
        if (result.exit() == 125) {
            throw new ShapeProbe.Refused(result.stderr().replaceFirst("^docker: ", ""));
        }
        return new ShapeProbe.Result(result.exit(), result.stdout() + result.stderr());
    }

    private void removeLeftover() throws MoleculeException {
        DockerEngine.Result label = engine.docker(
                List.of("inspect", "--format", "{{index .Config.Labels \"" + LABEL + "\"}}", request.name()), Map.of());
        if (label.exit() != 0) {
            return;
        }
        if (!label.stdout().strip().equals(request.project())) {
            throw new MoleculeException("A container named " + request.name() + " exists and molecule:run did not"
                    + " start it for " + request.project() + ". Remove it, or name this workspace otherwise with"
                    + " -Dmolecule.run.name=…");
        }
        log.info("Removing the workspace container " + request.name() + " an earlier run left");
        remove(request.name());
    }

    private void remove() throws MoleculeException {
        unfollow();
        if (containerId != null) {
            remove(containerId);
            containerId = null;
        }
        for (String id : List.copyOf(retired)) {
            remove(id);
        }
    }

    private void unfollow() {
        if (logs != null) {
            logs.destroy();
            logs = null;
        }
    }

    /** Removes a replaced container on a thread of its own; {@link #stop} removes it if that has not yet. */
    private void retire(String id) {
        retired.add(id);
        Thread thread = new Thread(
                () -> {
                    try {
                        remove(id);
                    } catch (MoleculeException e) {
                        log.warn(e.getMessage());
                    } finally {
                        retired.remove(id);
                    }
                },
                "molecule-run-retire");
        thread.setDaemon(true);
        thread.start();
    }

    private void remove(String container) throws MoleculeException {
        DockerEngine.Result removed = engine.docker(List.of("rm", "-f", container), Map.of());
        if (removed.exit() != 0 && !removed.stderr().contains("No such container")) {
            throw new MoleculeException(
                    "docker rm -f " + container + " failed: " + removed.stderr().strip());
        }
    }

    /** The platform writes the token as root before the container starts; so does this, as the gate does. */
    private void plantToken() throws MoleculeException {
        Path configs = request.configs();
        try {
            Files.createDirectories(configs);
            if (request.token() == null) {
                clearToken();
                return;
            }
            if ("root".equals(System.getProperty("user.name"))) {
                Path file = configs.resolve(TOKEN_FILE);
                Files.deleteIfExists(file);
                try (SeekableByteChannel channel = Files.newByteChannel(
                        file,
                        Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
                    channel.write(ByteBuffer.wrap(request.token().getBytes(StandardCharsets.UTF_8)));
                }
                for (Path path : List.of(configs, file)) {
                    Files.setAttribute(path, "unix:uid", 0);
                    Files.setAttribute(path, "unix:gid", 0);
                }
                return;
            }
        } catch (IOException e) {
            throw new MoleculeException("Cannot plant the token in " + configs + ": " + e.getMessage());
        }
        asRoot(
                engine,
                configs,
                request.image(),
                WorkspaceContract.plantTokenScript("/m"),
                Map.of(WorkspaceContract.PLANTED_TOKEN_VARIABLE, request.token()),
                mask::apply);
    }

    private void clearToken() throws MoleculeException {
        clearToken(engine, request.configs(), request.image());
    }

    /** A shell script as root in a throwaway container of the image, with the configs directory at {@code /m}. */
    private static void asRoot(
            DockerEngine engine,
            Path configs,
            String image,
            String script,
            Map<String, String> environment,
            UnaryOperator<String> mask)
            throws MoleculeException {
        List<String> args = new ArrayList<>(List.of("run", "--rm", "--user", "0", "--label", LABEL + "=probe"));
        environment.keySet().forEach(name -> args.addAll(List.of("-e", name)));
        args.addAll(bind(configs.toAbsolutePath().toString(), "/m"));
        args.addAll(List.of("--entrypoint", "sh", image, "-c", script));
        DockerEngine.Result result = engine.docker(args, environment);
        if (result.exit() != 0) {
            throw new MoleculeException("Preparing " + configs + " as root in a container of " + image + " failed: "
                    + mask.apply(result.stderr().strip()));
        }
    }

    private void follow(String id) throws MoleculeException {
        logs = engine.start(List.of("logs", "-f", id));
        stream(logs.getInputStream());
        stream(logs.getErrorStream());
    }

    private void stream(InputStream in) {
        Thread thread = new Thread(
                () -> {
                    try (BufferedReader reader =
                            new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                        String line;
                        while ((line = reader.readLine()) != null) {
                            log.info("[" + request.name() + "] " + mask.apply(line));
                        }
                    } catch (IOException e) {
                        // The follower was stopped with its container.
                    }
                },
                "molecule-run-log");
        thread.setDaemon(true);
        thread.start();
    }

    private void stopQuietly() {
        try {
            stop();
        } catch (MoleculeException e) {
            log.warn("Could not stop the workspace " + request.name() + ": " + e.getMessage());
        }
    }
}
