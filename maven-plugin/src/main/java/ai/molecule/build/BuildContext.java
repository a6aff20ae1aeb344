package ai.molecule.build;

import ai.molecule.core.BuildLog;
import ai.molecule.core.LayerCache;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What every stage of one build shares.
 *
 * @param cacheRoot the layer cache's directory, also home of Jib's, npm's and the workspace assets' caches
 * @param workDir the build's own directory: report and temporary files
 * @param offline take everything from caches ({@code mvn -o})
 * @param sharedRepository the registry repository sharing the layer cache, if any ({@code host/name})
 */
record BuildContext(
        LayerCache cache,
        Path cacheRoot,
        Path workDir,
        BuildLog log,
        boolean offline,
        Optional<String> sharedRepository) {}
