package ai.molecule.pip;

import ai.molecule.core.LayerCache;

/** A built (or cached) pip layer: its cache key, its blob and whether the cache already held it. */
public record PipLayerResult(String key, LayerCache.Blob blob, boolean cacheHit) {}
