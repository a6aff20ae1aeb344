package ai.molecule.core;

import java.util.Locale;

/** Where a layer of a build came from, as the log and the build report show it. */
public enum CacheOutcome {
    /** Already in the layer cache under its key (or, for a base layer, its digest). */
    HIT,
    /** Built by this build and stored under its key. */
    MISS,
    /** A base layer this build fetched (from a tar, the engine or a registry) into the cache. */
    FETCHED;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
