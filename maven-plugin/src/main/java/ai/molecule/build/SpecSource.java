package ai.molecule.build;

import ai.molecule.core.MoleculeException;
import ai.molecule.image.ImageSpec;
import java.io.IOException;

/**
 * The pipeline's first stage: the configuration that yields the spec and the base registry's
 * access. The build runs it after discarding the previous outputs, so a configuration mistake
 * leaves no stale tar or report behind either.
 */
public interface SpecSource {

    ImageSpec imageSpec() throws MoleculeException, IOException;

    /** How to reach the registry of {@code spec}'s base; anonymous by default. */
    default RegistryAccess baseAccess(ImageSpec spec) throws MoleculeException {
        return RegistryAccess.ANONYMOUS;
    }

    /** A spec that is already made, its base reached with {@code access}. */
    static SpecSource of(ImageSpec spec, RegistryAccess access) {
        return new SpecSource() {
            @Override
            public ImageSpec imageSpec() {
                return spec;
            }

            @Override
            public RegistryAccess baseAccess(ImageSpec ignored) {
                return access;
            }
        };
    }
}
