package ai.molecule.workspace;

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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The standard parts of a workspace image: entrypoint (root and agent halves), {@code
 * molecule-askpass}, the git token helper, the refresh daemon and the T4 sudoers drop-in, at the
 * paths of the workspace contract; plus the uid 1000 {@code agent} account and its {@code docker}
 * group. A template replaces any of them by shipping the same path in a layer above.
 */
public final class WorkspaceAssets {
    public static final String ENTRYPOINT = "/usr/local/bin/molecule-entrypoint";
    public static final String DEFAULT_CMD = "molecule-runtime";
    public static final String HOOKS_DIRECTORY = "/etc/molecule/entrypoint.d";
    public static final String LAYER_NAME = "workspace";
    /** The Debian packages the assets run with ({@code gh} is optional: the agent half skips it when absent). */
    public static final List<String> PACKAGES = List.of(
            "bash", "gosu", "sudo", "git", "curl", "ca-certificates", "rsync", "util-linux", "passwd", "docker.io");

    public static final Account AGENT = new Account("agent", 1000, 1000, "/home/agent", "/bin/bash", List.of("docker"));
    /** The entrypoint moves it to a mounted docker socket's gid at boot; 999 only until then. */
    public static final Group DOCKER = new Group("docker", 999);

    /** Script resource name → image path and mode; the order is the layer's. */
    private static final Map<String, Asset> ASSETS = assets();

    private record Asset(String imagePath, int mode) {}

    private WorkspaceAssets() {}

    /** Resource names of the shell scripts, for lint and tests. */
    public static List<String> scripts() {
        return ASSETS.entrySet().stream()
                .filter(e -> e.getValue().mode() == 0755)
                .map(Map.Entry::getKey)
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
        for (var asset : ASSETS.entrySet()) {
            String text = text(asset.getKey());
            texts.put(asset.getKey(), text);
            key.line(asset.getKey()).line(text);
        }
        Path directory = extract(cacheRoot.resolve("workspace-assets"), key.hex(), texts);
        List<LayerEntry> entries = new ArrayList<>();
        for (String dir : List.of("/etc/molecule", HOOKS_DIRECTORY, "/usr/local/lib/molecule")) {
            entries.add(LayerEntry.directory(dir, 0755, 0, 0));
        }
        ASSETS.forEach((resource, asset) ->
                entries.add(LayerEntry.file(asset.imagePath(), directory.resolve(resource), asset.mode(), 0, 0)));
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

    private static Map<String, Asset> assets() {
        Map<String, Asset> assets = new LinkedHashMap<>();
        assets.put("molecule-entrypoint", new Asset(ENTRYPOINT, 0755));
        assets.put("agent-start", new Asset("/usr/local/lib/molecule/agent-start", 0755));
        assets.put("molecule-askpass", new Asset("/usr/local/bin/molecule-askpass", 0755));
        assets.put("molecule-git-token-helper", new Asset("/usr/local/bin/molecule-git-token-helper", 0755));
        assets.put("molecule-token-refresh", new Asset("/usr/local/bin/molecule-token-refresh", 0755));
        assets.put("molecule-agent.sudoers", new Asset("/etc/sudoers.d/molecule-agent", 0440));
        return assets;
    }
}
