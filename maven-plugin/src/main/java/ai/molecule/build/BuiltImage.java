package ai.molecule.build;

import ai.molecule.core.KeyDigest;
import ai.molecule.core.LayerCache;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

/**
 * An image ready to deliver: its config bytes and its layers, bottom first, as verified blobs.
 *
 * @param repoTag the name it is delivered under
 */
record BuiltImage(byte[] config, List<LayerCache.Blob> layers, String repoTag, Instant created) {

    BuiltImage {
        config = config.clone();
        layers = List.copyOf(layers);
    }

    /** Hex SHA-256 of the config. */
    String configHex() {
        return HexFormat.of().formatHex(KeyDigest.sha256().digest(config));
    }

    /** The ID {@code docker images} shows: {@code sha256:} of the config. */
    String imageId() {
        return "sha256:" + configHex();
    }

    /** Writes the image as a docker-save tar, leaving out the files of the bottom {@code omitBottom} layers. */
    void writeDockerSave(OutputStream out, int omitBottom) throws IOException {
        BufferedOutputStream buffered = new BufferedOutputStream(out, 256 * 1024);
        DockerSaveTar.write(buffered, config, configHex(), layers, repoTag, created, omitBottom);
        buffered.flush();
    }
}
