package ai.molecule.build;

import ai.molecule.core.LayerCache;
import ai.molecule.core.MoleculeException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Loaded into the Docker engine the {@code docker} CLI talks to, sending only the layers above the
 * longest prefix the engine already holds under this tag.
 */
public record DockerTarget(String image) implements Target {

    public DockerTarget {
        image = Target.withDefaultTag(image);
    }

    @Override
    public String name() {
        return "docker";
    }

    @Override
    public Delivered deliver(BuiltImage built, BuildContext context) throws MoleculeException {
        DockerEngine engine = new DockerEngine();
        DockerEngine.Held held = engine.held(image);
        String imageId = built.imageId();
        if (imageId.equals(held.imageId())) {
            context.log().info("Engine already holds " + image + " as " + imageId + "; nothing to load");
            return new Delivered(imageId, null, null);
        }
        // docker load skips a layer file when the engine holds its chain; the previous build under
        // this tag shares the longest common prefix, so send only what lies above it.
        List<LayerCache.Blob> layers = built.layers();
        List<String> heldIds = held.diffIds();
        int shared = 0;
        while (shared < Math.min(heldIds.size(), layers.size())
                && heldIds.get(shared).equals(layers.get(shared).digest())) {
            shared++;
        }
        int omitBottom = shared;
        long bytes = layers.subList(shared, layers.size()).stream()
                .collect(Collectors.toMap(LayerCache.Blob::digest, LayerCache.Blob::size, (a, b) -> a))
                .values()
                .stream()
                .mapToLong(Long::longValue)
                .sum();
        context.log()
                .info("Loading " + image + " into the engine: " + (layers.size() - shared) + " of " + layers.size()
                        + " layers, " + Sizes.of(bytes));
        engine.load(out -> built.writeDockerSave(out, omitBottom));
        return new Delivered(imageId, null, null);
    }
}
