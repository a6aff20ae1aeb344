package ai.molecule.contract;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The workspace contract: where a workspace image keeps its standard parts and with which modes,
 * the account the workload runs as, and the mounts and files of the provisioner's start. The values
 * come from {@code workspace-contract.properties} beside this class, the single written form that
 * the plugin, the conformance gate and {@code benchmarks/run} read.
 */
public final class WorkspaceContract {
    static final String RESOURCE = "workspace-contract.properties";

    /** A standard asset: its resource name in the plugin, its image path and mode, and whether validate requires the path. */
    public record Asset(String resource, String path, int mode, boolean required) {}

    private static final Map<String, String> VALUES = read();

    public static final String AGENT = value("agent.name");
    public static final int AGENT_UID = number("agent.uid");
    public static final int AGENT_GID = number("agent.gid");
    public static final String AGENT_HOME = path("agent.home");
    public static final String AGENT_SHELL = path("agent.shell");
    public static final String DOCKER_GROUP = value("docker.group");
    public static final int DOCKER_GID = number("docker.gid");

    /** The standard assets in the workspace layer's order. */
    public static final List<Asset> ASSETS = assets();

    public static final String ENTRYPOINT = asset("molecule-entrypoint").path();
    public static final String ASKPASS = asset("molecule-askpass").path();
    public static final String TOKEN_HELPER = asset("molecule-git-token-helper").path();
    public static final String SUDOERS_DROP_IN = asset("molecule-agent.sudoers").path();
    public static final String HOOKS_DIRECTORY = path("entrypoint.hooks");
    public static final String DEFAULT_CMD = value("default.cmd");
    /** The Debian packages the standard assets run with, in order. */
    public static final List<String> WORKSPACE_PACKAGES = words("workspace.packages");
    /** Packages that each give the docker CLI; one of them is enough. */
    public static final List<String> DOCKER_CLIS = words("workspace.docker-clis");

    public static final String CONFIGS = path("mount.configs");
    public static final String WORKSPACE = path("mount.workspace");
    public static final String HOST_ROOT = path("mount.host-root");
    public static final String DOCKER_SOCKET = path("mount.docker-socket");
    /** Planted root-owned before boot; the entrypoint hands it to the agent. */
    public static final String AUTH_TOKEN = path("token.file");

    public static final String TOKEN_CACHE = path("token.cache");
    public static final String RESTORE_SOURCE = path("restore.source");
    public static final String RESTORE_MARKER = path("restore.marker");
    /** The directories the provisioner mounts over the image at start; an image ships nothing at or below them. */
    public static final List<String> PLATFORM_MOUNTS = List.of(CONFIGS, WORKSPACE, RESTORE_SOURCE);

    /** The variable {@link #plantTokenScript} reads the token from. */
    public static final String PLANTED_TOKEN_VARIABLE = "TOKEN";

    private WorkspaceContract() {}

    /**
     * A {@code sh} script, run as root with the configs directory mounted at {@code mountPoint} and
     * the token in {@link #PLANTED_TOKEN_VARIABLE}, that plants the token as the platform does before
     * boot: the directory and the file root-owned, the file mode 0600.
     */
    public static String plantTokenScript(String mountPoint) {
        String file = mountPoint + AUTH_TOKEN.substring(CONFIGS.length());
        return "umask 077 && printf %s \"$" + PLANTED_TOKEN_VARIABLE + "\" > " + file + " && chown 0:0 " + mountPoint
                + " " + file + " && chmod 0600 " + file;
    }

    /** The asset named {@code resource}. */
    public static Asset asset(String resource) {
        return ASSETS.stream()
                .filter(asset -> asset.resource().equals(resource))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no asset " + resource + " in " + RESOURCE));
    }

    /** The image paths a workspace image must hold, in order. */
    public static List<String> requiredPaths() {
        return ASSETS.stream().filter(Asset::required).map(Asset::path).toList();
    }

    private static List<Asset> assets() {
        List<Asset> assets = new ArrayList<>();
        VALUES.forEach((key, value) -> {
            if (key.startsWith("asset.")) {
                String[] fields = value.split("\\s+");
                boolean required = fields.length == 3 && fields[2].equals("required");
                if (fields.length < 2 || fields.length > 3 || (fields.length == 3 && !required)) {
                    throw invalid(key, "is `" + value + "`, not `<path> <octal mode> [required]`");
                }
                assets.add(new Asset(
                        key.substring("asset.".length()), absolute(key, fields[0]), octal(key, fields[1]), required));
            }
        });
        return List.copyOf(assets);
    }

    private static String value(String key) {
        return Optional.ofNullable(VALUES.get(key)).orElseThrow(() -> invalid(key, "is missing"));
    }

    private static List<String> words(String key) {
        return List.of(value(key).split("\\s+"));
    }

    private static String path(String key) {
        return absolute(key, value(key));
    }

    private static String absolute(String key, String path) {
        if (!path.startsWith("/")) {
            throw invalid(key, "is `" + path + "`, not an absolute path");
        }
        return path;
    }

    private static int number(String key) {
        try {
            return Integer.parseInt(value(key));
        } catch (NumberFormatException e) {
            throw invalid(key, "is `" + value(key) + "`, not a number");
        }
    }

    private static int octal(String key, String mode) {
        try {
            return Integer.parseInt(mode, 8);
        } catch (NumberFormatException e) {
            throw invalid(key, "has mode `" + mode + "`, not an octal number");
        }
    }

    private static IllegalStateException invalid(String key, String problem) {
        return new IllegalStateException(RESOURCE + ": " + key + " " + problem);
    }

    static Map<String, String> read() {
        try (InputStream in = WorkspaceContract.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing beside " + WorkspaceContract.class.getName());
            }
            return parse(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Map<String, String> parse(BufferedReader reader) throws IOException {
        Map<String, String> values = new LinkedHashMap<>();
        String line;
        for (int number = 1; (line = reader.readLine()) != null; number++) {
            String text = line.strip();
            if (text.isEmpty() || text.startsWith("#")) {
                continue;
            }
            int equals = text.indexOf('=');
            if (equals <= 0) {
                throw new IllegalStateException(RESOURCE + " line " + number + ": `" + text + "` is not key=value");
            }
            if (values.put(
                            text.substring(0, equals).strip(),
                            text.substring(equals + 1).strip())
                    != null) {
                throw new IllegalStateException(
                        RESOURCE + " line " + number + ": " + text.substring(0, equals) + " again");
            }
        }
        return values;
    }
}
