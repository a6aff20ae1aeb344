package ai.molecule.build;

import ai.molecule.core.MoleculeException;
import ai.molecule.image.BaseImage;
import ai.molecule.image.ImageSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Resolves the base into the layer cache: a docker-save tar is read, a daemon or registry image is
 * saved by Jib Core into a temporary tar first; either way every layer is checked against the
 * config's diff_ids.
 */
final class BaseResolver {
    private final BuildContext context;

    BaseResolver(BuildContext context) {
        this.context = context;
    }

    BaseLayers resolve(ImageSpec spec, RegistryAccess access) throws MoleculeException, IOException {
        BaseImage base = spec.base();
        if (base instanceof BaseImage.Scratch) {
            return BaseLayers.SCRATCH;
        }
        long start = System.nanoTime();
        BaseLayers layers;
        if (base instanceof BaseImage.TarFile tar) {
            context.log().info("Reading base " + tar.path());
            layers = read(tar.path());
        } else {
            Path tmp = context.workDir().resolve(".base-" + System.nanoTime() + ".tar");
            try {
                context.log().info("Fetching base " + base + " with Jib Core");
                new JibBridge(context.cacheRoot().resolve("jib"), context.log())
                        .saveBase(base, access, spec.architecture(), spec.os(), tmp);
                layers = read(tmp);
            } finally {
                Files.deleteIfExists(tmp);
            }
        }
        context.log()
                .info("Base " + base + ": " + layers.layers().size() + " layers ("
                        + (System.nanoTime() - start) / 1_000_000 + " ms)");
        return layers;
    }

    private BaseLayers read(Path tar) throws MoleculeException {
        try {
            return DockerSaveTar.read(tar, context.cache());
        } catch (IOException e) {
            throw new MoleculeException("Cannot read base tar " + tar + " (<base>): " + e.getMessage()
                    + ". Point tar:// at a file written by `docker save -o` or by this plugin's tar target");
        }
    }
}
