package ai.molecule.config;

import ai.molecule.core.MoleculeException;
import ai.molecule.image.NpmLayer;
import ai.molecule.image.NpmPlatform;
import java.util.List;

/** {@code <npm>}: the npm layer's packages, registry and platform, with the registry login from settings.xml. */
final class NpmConfiguration {
    private NpmConfiguration() {}

    /** {@code null} without {@code <npm>}. */
    static NpmLayer of(RawConfiguration raw, Credentials credentials) throws MoleculeException {
        Npm npm = raw.npm();
        if (npm == null) {
            return null;
        }
        List<String> packages = npm.packages;
        if (packages.isEmpty()) {
            throw new InvalidConfigurationException(
                    "npm><packages",
                    "no packages are listed",
                    "List the packages to install, e.g. <package>@anthropic-ai/claude-code</package>");
        }
        for (String spec : packages) {
            if (spec == null || spec.isBlank() || spec.startsWith("-")) {
                throw new InvalidConfigurationException(
                        "npm><packages",
                        "package '" + spec + "' is empty or looks like an option",
                        "Write each package as npm takes it, e.g. @openai/codex@0.130.0");
            }
        }
        if (npm.registry == null || !npm.registry.matches("https?://[^\\s]+")) {
            throw new InvalidConfigurationException(
                    "npm><registry",
                    "'" + npm.registry + "' is not an http(s) URL",
                    "Write the registry URL, e.g. " + NpmLayer.DEFAULT_REGISTRY);
        }
        NpmPlatform platform = NpmPlatform.forArchitecture(raw.architecture())
                .orElseThrow(() -> new InvalidConfigurationException(
                        "architecture",
                        "npm layers support amd64 and arm64, not '" + raw.architecture() + "'",
                        "Set <architecture> to amd64 or arm64, or drop <npm>"));
        NpmLayer.Credential credential = null;
        if (npm.serverId != null) {
            Credentials.Login login = ConfigurationProcessor.server(credentials, "npm><serverId", npm.serverId);
            credential = new NpmLayer.Credential(login.username(), login.password());
        }
        return new NpmLayer(packages, npm.registry, platform, NpmLayer.DEFAULT_PREFIX, credential);
    }
}
