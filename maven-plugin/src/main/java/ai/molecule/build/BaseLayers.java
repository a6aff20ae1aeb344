package ai.molecule.build;

import ai.molecule.core.LayerCache;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * A resolved base: its config (an empty object for scratch) and its layers as verified blobs in
 * the layer cache, bottom first.
 */
record BaseLayers(ObjectNode config, List<LayerCache.Blob> layers) {}
