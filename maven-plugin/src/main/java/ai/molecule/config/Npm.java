package ai.molecule.config;

import ai.molecule.image.NpmLayer;
import java.util.ArrayList;
import java.util.List;

/** The {@code <npm>} element: npm packages installed globally under /usr/local as one layer. */
public class Npm {
    /** Packages as npm takes them, e.g. {@code @anthropic-ai/claude-code} or {@code @openai/codex@0.130.0}. */
    List<String> packages = new ArrayList<>();

    /** The registry to resolve and download from. */
    String registry = NpmLayer.DEFAULT_REGISTRY;

    /** settings.xml server holding the registry login: username and password, or only a password as token. */
    String serverId;
}
