package ai.molecule.build;

import ai.molecule.core.CacheOutcome;
import ai.molecule.core.Json;
import ai.molecule.core.LayerCache;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * A resolved base: its config (an empty object for scratch) and its layers as verified blobs in
 * the layer cache, bottom first, each with whether this build fetched it or found it cached.
 */
record BaseLayers(ObjectNode config, List<LayerCache.Blob> layers, List<CacheOutcome> outcomes) {

    static final BaseLayers SCRATCH = new BaseLayers(Json.object(), List.of(), List.of());

    BaseLayers {
        layers = List.copyOf(layers);
        outcomes = List.copyOf(outcomes);
        if (layers.size() != outcomes.size()) {
            throw new IllegalArgumentException("one outcome per base layer");
        }
    }
}
