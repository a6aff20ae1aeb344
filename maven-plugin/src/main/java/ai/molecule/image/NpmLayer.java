package ai.molecule.image;

import java.util.List;

/**
 * A layer of npm packages installed globally, as {@code npm install -g} would on the image.
 *
 * @param specs what to install, as npm takes it: {@code semver@7.6.3}, {@code @openai/codex}
 * @param registry the registry to resolve and download from, e.g. {@code https://registry.npmjs.org/}
 * @param platform the image's platform, which picks optional native packages
 * @param prefix the image's global npm prefix: packages land in {@code <prefix>/lib/node_modules},
 *     bin links in {@code <prefix>/bin}
 * @param credential for the registry, {@code null} for anonymous; never part of the key or the layer
 */
public record NpmLayer(
        List<String> specs, String registry, NpmPlatform platform, String prefix, Credential credential) {
    public static final String DEFAULT_REGISTRY = "https://registry.npmjs.org/";
    public static final String DEFAULT_PREFIX = "/usr/local";

    public NpmLayer {
        specs = List.copyOf(specs);
        if (specs.isEmpty()) {
            throw new IllegalArgumentException("an npm layer needs at least one package spec");
        }
        for (String spec : specs) {
            if (spec.isBlank() || spec.startsWith("-")) {
                throw new IllegalArgumentException("npm package spec '" + spec + "' is empty or looks like an option");
            }
        }
        if (!registry.startsWith("http://") && !registry.startsWith("https://")) {
            throw new IllegalArgumentException("npm registry '" + registry + "' is not an http(s) URL");
        }
        if (!prefix.startsWith("/") || prefix.length() > 1 && prefix.endsWith("/")) {
            throw new IllegalArgumentException(
                    "npm prefix '" + prefix + "' must be an absolute image path without trailing slash");
        }
    }

    /** The specs from the public registry for linux/x64 (glibc) under {@code /usr/local}. */
    public static NpmLayer of(String... specs) {
        return new NpmLayer(List.of(specs), DEFAULT_REGISTRY, NpmPlatform.LINUX_X64, DEFAULT_PREFIX, null);
    }

    public NpmLayer withRegistry(String url) {
        return new NpmLayer(specs, url, platform, prefix, credential);
    }

    public NpmLayer withPlatform(NpmPlatform target) {
        return new NpmLayer(specs, registry, target, prefix, credential);
    }

    public NpmLayer withCredential(Credential registryCredential) {
        return new NpmLayer(specs, registry, platform, prefix, registryCredential);
    }

    /**
     * A registry login: with a username npm sends basic auth ({@code _auth}), without one the
     * password is a bearer token ({@code _authToken}). Never printed.
     */
    public record Credential(String username, String password) {
        @Override
        public String toString() {
            return "Credential[username=" + username + ", password=****]";
        }
    }
}
