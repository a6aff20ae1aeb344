package ai.molecule.workspace;

import ai.molecule.contract.WorkspaceContract;
import ai.molecule.contract.WorkspaceContract.Asset;
import ai.molecule.core.KeyDigest;
import ai.molecule.core.LayerEntry;
import ai.molecule.core.LayerSpec;
import ai.molecule.image.Account;
import ai.molecule.image.Group;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The standard parts of a workspace image: entrypoint (root and agent halves), {@code
 * molecule-askpass}, the git token helper, the refresh daemon and the T4 sudoers drop-in, at the
 * paths of the workspace contract ({@link WorkspaceContract}); plus the uid 1000 {@code agent}
 * account and its {@code docker} group. A template replaces any of them by shipping the same path
 * in a layer above.
 */
public final class WorkspaceAssets {
    public static final String ENTRYPOINT = WorkspaceContract.ENTRYPOINT;
    public static final String DEFAULT_CMD = WorkspaceContract.DEFAULT_CMD;
    public static final String HOOKS_DIRECTORY = WorkspaceContract.HOOKS_DIRECTORY;
    public static final String LAYER_NAME = "workspace";
    /**
     * The Debian packages the assets run with, which {@code <workspace>true</workspace>} adds to the
     * Debian request (the contract file's {@code workspace.packages}, where each is explained). {@code
     * gh} is optional: the agent half skips it when absent.
     */
    public static final List<String> PACKAGES = WorkspaceContract.WORKSPACE_PACKAGES;

    /** Packages that give the docker CLI; a template naming one of them needs no other ({@code docker-cli} is trixie's). */
    public static final List<String> DOCKER_CLIS = WorkspaceContract.DOCKER_CLIS;

    /**
     * The workspace packages a template's {@code <packages>} (names, or {@code name=version}) do not
     * already name, in {@link #PACKAGES} order: what the workspace adds to the request.
     */
    public static List<String> packagesMissingFrom(List<String> requested) {
        Set<String> names = new HashSet<>();
        for (String entry : requested) {
            names.add(
                    entry.contains("=") ? entry.substring(0, entry.indexOf('=')).strip() : entry.strip());
        }
        boolean hasDockerCli = DOCKER_CLIS.stream().anyMatch(names::contains);
        return PACKAGES.stream()
                .filter(name -> !names.contains(name))
                .filter(name -> !(DOCKER_CLIS.contains(name) && hasDockerCli))
                .toList();
    }

    public static final Account AGENT = new Account(
            WorkspaceContract.AGENT,
            WorkspaceContract.AGENT_UID,
            WorkspaceContract.AGENT_GID,
            WorkspaceContract.AGENT_HOME,
            WorkspaceContract.AGENT_SHELL,
            List.of(WorkspaceContract.DOCKER_GROUP));
    /** The entrypoint moves it to a mounted docker socket's gid at boot; the contract's gid only until then. */
    public static final Group DOCKER = new Group(WorkspaceContract.DOCKER_GROUP, WorkspaceContract.DOCKER_GID);

    private WorkspaceAssets() {}

    /** Resource names of the shell scripts, for lint and tests. */
    public static List<String> scripts() {
        return WorkspaceContract.ASSETS.stream()
                .filter(asset -> asset.mode() == 0755)
                .map(Asset::resource)
                .toList();
    }

    /** The text of an asset as shipped. */
    public static String text(String resource) throws IOException {
        try (InputStream in = WorkspaceAssets.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("workspace asset " + resource + " is missing from the plugin jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /**
     * The {@code workspace} layer. Its files are extracted once per content to {@code
     * <cacheRoot>/workspace-assets/<sha256>/}, so entries point at real files and the layer's key
     * follows the scripts' content.
     */
    public static LayerSpec layer(Path cacheRoot) throws IOException {
        Map<String, String> texts = new LinkedHashMap<>();
        KeyDigest key = new KeyDigest("workspace-assets/1");
        for (Asset asset : WorkspaceContract.ASSETS) {
            String text = text(asset.resource());
            texts.put(asset.resource(), text);
            key.line(asset.resource()).line(text);
        }
        Path directory = extract(cacheRoot.resolve("workspace-assets"), key.hex(), texts);
        List<LayerEntry> entries = new ArrayList<>();
        for (String dir : List.of("/etc/molecule", HOOKS_DIRECTORY, "/usr/local/lib/molecule")) {
            entries.add(LayerEntry.directory(dir, 0755, 0, 0));
        }
        for (Asset asset : WorkspaceContract.ASSETS) {
            entries.add(LayerEntry.file(asset.path(), directory.resolve(asset.resource()), asset.mode(), 0, 0));
        }
        return new LayerSpec(LAYER_NAME, entries, new TreeMap<>());
    }

    /** Written to a private directory first and moved in whole, so concurrent builds never see half of it. */
    private static Path extract(Path parent, String hash, Map<String, String> texts) throws IOException {
        Path target = parent.resolve(hash);
        if (Files.isDirectory(target)) {
            return target;
        }
        Files.createDirectories(parent);
        Path staging = Files.createTempDirectory(parent, ".staging-");
        for (var text : texts.entrySet()) {
            Files.writeString(staging.resolve(text.getKey()), text.getValue());
        }
        try {
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            // Usually another build won the race and the target is complete; anything else is rethrown.
            deleteStaging(staging, texts);
            if (!Files.isDirectory(target)) {
                throw e;
            }
        }
        return target;
    }

    private static void deleteStaging(Path staging, Map<String, String> texts) throws IOException {
        for (String name : texts.keySet()) {
            Files.deleteIfExists(staging.resolve(name));
        }
        Files.deleteIfExists(staging);
    }
}
