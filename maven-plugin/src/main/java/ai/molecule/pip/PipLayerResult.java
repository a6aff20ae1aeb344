package ai.molecule.pip;

import ai.molecule.core.LayerCache;
import java.util.List;

/**
 * A built (or cached) pip layer: its cache key, its blob, whether the cache already held it, and the
 * distributions it contains.
 */
public record PipLayerResult(String key, LayerCache.Blob blob, boolean cacheHit, List<PipComponent> components) {
    public PipLayerResult {
        components = List.copyOf(components);
    }
}
