package ai.molecule.build;

import ai.molecule.core.CacheOutcome;
import ai.molecule.core.LayerCache;
import ai.molecule.core.MoleculeException;
import ai.molecule.image.LayerKind;
import ai.molecule.sbom.Component;
import java.io.IOException;
import java.util.List;

/**
 * A layer of the image, or a few made together (the Debian packages): computes each one's content
 * key from all of its inputs, takes the layer from the cache under that key or builds and stores
 * it. {@link LayerSteps#of} lists the steps of an image in order.
 */
interface LayerStep {

    LayerKind kind();

    /** The step's layers, bottom first. */
    List<Built> build(BuildContext context, Resolution resolution) throws MoleculeException, IOException;

    /**
     * A step's layer.
     *
     * @param name the layer's name in the log, the report and the image history
     * @param key the content key it is stored under
     * @param components what it installed, for the SBOM
     */
    record Built(String name, String key, LayerCache.Blob blob, CacheOutcome outcome, List<Component> components) {
        public Built {
            components = List.copyOf(components);
        }
    }
}
