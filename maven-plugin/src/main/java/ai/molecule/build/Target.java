package ai.molecule.build;

import ai.molecule.core.MoleculeException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Where the built image goes: the last stage of the pipeline. Each target delivers the same
 * config and layers, so the image ID is the same whichever one runs.
 */
public sealed interface Target permits TarTarget, DockerTarget, RegistryTarget {

    /** The image reference, {@code [registry/]repository:tag}. */
    String image();

    /** {@code tar}, {@code docker} or {@code registry}, as the build report names it. */
    String name();

    /**
     * Removes what an earlier build delivered locally, before this one starts, so that a build
     * failing from here on leaves nothing that could pass for its own.
     */
    default void discardPrevious() throws IOException {}

    /** Delivers {@code image}; {@code context} holds the cache and the build's scratch directory. */
    Delivered deliver(BuiltImage image, BuildContext context) throws MoleculeException, IOException;

    /**
     * Publishes documents about the delivered image beside it (the SBOMs); only a registry can
     * hold them, so the other targets leave them in the build directory.
     */
    default void attach(BuiltImage image, List<Path> documents, BuildContext context)
            throws MoleculeException, IOException {}

    /** What a delivery left behind, for the report. */
    record Delivered(String imageId, String manifestDigest, String output) {}

    /** {@code image} with {@code :latest} when it names no tag. */
    static String withDefaultTag(String image) {
        return image.substring(image.lastIndexOf('/') + 1).contains(":") ? image : image + ":latest";
    }
}
