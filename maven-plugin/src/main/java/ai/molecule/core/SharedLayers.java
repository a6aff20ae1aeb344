package ai.molecule.core;

import java.io.IOException;
import java.util.Optional;

/**
 * A second tier behind the local {@link LayerCache}, shared by every machine that builds the same
 * layers (a registry repository, so that ephemeral CI runners start warm). The local cache asks it
 * on a miss of a layer key and offers it every layer it holds or builds.
 */
public interface SharedLayers {

    /**
     * Fetches the layer stored under {@code key} into {@code cache}, verified and recorded under
     * the key. Empty when the tier has no such layer, when what it serves does not match what it
     * claims (refused, with a warning), or when it cannot be reached (a warning; the build goes on
     * locally).
     */
    Optional<LayerCache.Blob> fetch(String key, LayerCache cache) throws IOException;

    /** Offers a layer this cache holds; the tier stores it, in the background, unless it has it. */
    void offer(String key, LayerCache.Blob layer, LayerCache cache);

    /** Waits for what {@link #offer} started; failures there are warnings, never the build's. */
    void finish();

    /** No shared tier: every miss is built here. */
    SharedLayers NONE = new SharedLayers() {
        @Override
        public Optional<LayerCache.Blob> fetch(String key, LayerCache cache) {
            return Optional.empty();
        }

        @Override
        public void offer(String key, LayerCache.Blob layer, LayerCache cache) {}

        @Override
        public void finish() {}
    };
}
