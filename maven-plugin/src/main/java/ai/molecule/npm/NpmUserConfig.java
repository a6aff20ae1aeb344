package ai.molecule.npm;

import ai.molecule.image.NpmLayer;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The npmrc an install runs with, as {@code --userconfig} beside an empty {@code --globalconfig}:
 * of the build machine's npmrc only the transport settings (proxy, CA, TLS, timeouts, per-registry
 * logins), none that change what lands in the layer ({@code ignore-scripts}, {@code omit}, {@code
 * strict-allow-scripts}, a registry override, …), plus the layer's own registry login. Written 0600
 * into the install's scratch directory and deleted with it.
 */
final class NpmUserConfig {
    private static final Set<String> TRANSPORT = Set.of(
            "ca",
            "ca[]",
            "cafile",
            "cert",
            "key",
            "proxy",
            "https-proxy",
            "http-proxy",
            "noproxy",
            "no-proxy",
            "strict-ssl",
            "local-address",
            "maxsockets",
            "fetch-timeout",
            "fetch-retries",
            "fetch-retry-factor",
            "fetch-retry-mintimeout",
            "fetch-retry-maxtimeout");
    private static final String ENV_PREFIX = "npm_config_";

    private NpmUserConfig() {}

    /** The npmrc npm would read as the user's: {@code $npm_config_userconfig}, else {@code ~/.npmrc}. */
    static Path hostUserConfig(Map<String, String> environment) {
        return environment.entrySet().stream()
                .filter(e -> e.getKey().equalsIgnoreCase(ENV_PREFIX + "userconfig"))
                .map(e -> Path.of(e.getValue()))
                .findFirst()
                .orElse(Path.of(System.getProperty("user.home"), ".npmrc"));
    }

    /** Writes {@code npmrc} and an empty {@code npmrc-global} into {@code dir}; returns the first. */
    static Path write(Path dir, Path hostUserConfig, NpmLayer layer) throws IOException {
        List<String> lines = new ArrayList<>();
        if (Files.isRegularFile(hostUserConfig)) {
            for (String line : Files.readAllLines(hostUserConfig, StandardCharsets.UTF_8)) {
                int equals = line.indexOf('=');
                if (equals > 0 && isTransport(line.substring(0, equals).strip())) {
                    lines.add(line);
                }
            }
        }
        if (layer.credential() != null) {
            lines.add(login(layer.registry(), layer.credential()));
        }
        Path npmrc = dir.resolve("npmrc");
        Files.createFile(npmrc, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(npmrc, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("npmrc-global"), "");
        return npmrc;
    }

    /** Whether an npmrc key or {@code npm_config_*} variable only says how to reach a registry. */
    static boolean isTransport(String key) {
        String name = key.toLowerCase(Locale.ROOT);
        if (name.startsWith(ENV_PREFIX)) {
            name = name.substring(ENV_PREFIX.length()).replace('_', '-');
        }
        return name.startsWith("//") || TRANSPORT.contains(name);
    }

    static boolean isNpmSetting(String environmentVariable) {
        return environmentVariable.toLowerCase(Locale.ROOT).startsWith(ENV_PREFIX);
    }

    /** {@code //host/path/:_auth=…} (basic) or {@code :_authToken=…} (no username), scoped to the registry. */
    private static String login(String registry, NpmLayer.Credential credential) {
        URI uri = URI.create(registry.endsWith("/") ? registry : registry + "/");
        String scope = "//" + uri.getRawAuthority() + uri.getRawPath() + ":";
        if (credential.username() == null || credential.username().isBlank()) {
            return scope + "_authToken=" + credential.password();
        }
        String basic = credential.username() + ":" + credential.password();
        return scope + "_auth=" + Base64.getEncoder().encodeToString(basic.getBytes(StandardCharsets.UTF_8));
    }
}
