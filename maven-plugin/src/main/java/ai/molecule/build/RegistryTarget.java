package ai.molecule.build;

import ai.molecule.core.Json;
import ai.molecule.core.LayerCache;
import ai.molecule.core.MoleculeException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import land.oras.ContainerRef;
import land.oras.exception.OrasException;

/**
 * Pushed to a registry with the ORAS Java SDK, as the bytes the other targets deliver: the same
 * config (so the same image ID as the docker and tar targets), each layer gzipped once and kept in
 * the layer cache (so no push compresses an unchanged layer again), and an OCI manifest this class
 * writes itself (so two pushes of the same inputs give the same manifest digest). Blobs the
 * registry already holds are not sent; blobs the shared layer cache's repository holds on the same
 * registry are mounted from there. The SBOMs follow as OCI artifacts whose subject is the image.
 *
 * @param tags more tags for the same manifest, besides the one {@code image} names
 */
public record RegistryTarget(String image, RegistryAccess access, List<String> tags) implements Target {

    public RegistryTarget {
        image = Target.withDefaultTag(image);
        tags = List.copyOf(tags);
    }

    public RegistryTarget(String image, RegistryAccess access) {
        this(image, access, List.of());
    }

    @Override
    public String name() {
        return "registry";
    }

    @Override
    public Delivered deliver(BuiltImage built, BuildContext context) throws MoleculeException, IOException {
        ContainerRef ref = ContainerRef.parse(image);
        RegistryClient registry = new RegistryClient(ref.getRegistry(), access);
        ContainerRef mountFrom = context.sharedRepository()
                .map(ContainerRef::parse)
                .filter(shared -> shared.getRegistry().equals(ref.getRegistry()))
                .orElse(null);
        context.log().info("Pushing " + image + ": " + built.layers().size() + " layers and the config");
        try {
            long sent = 0;
            if (registry.send(ref, built.config())) {
                sent += built.config().length;
            } else {
                context.log().info("  config " + RegistryClient.short12(built.imageId()) + " already in the registry");
            }
            for (LayerCache.Blob layer : built.layers()) {
                sent += registry.send(ref, context.cache().gzipped(layer), "layer ", mountFrom, context.log());
            }
            byte[] manifest = manifest(built, context);
            String digest = RegistryClient.digest(manifest);
            for (String tag : allTags(ref)) {
                registry.putManifest(ref.withTag(tag), manifest);
            }
            context.log()
                    .info("Pushed " + image + "@" + digest + " (" + Sizes.of(sent) + " uploaded"
                            + (tags.isEmpty() ? "" : "; also tagged " + String.join(", ", tags)) + ")");
            return new Delivered(built.imageId(), digest, null);
        } catch (OrasException e) {
            throw failure(registry, e);
        }
    }

    /** Pushes the SBOMs as OCI artifacts referring to the image just pushed. */
    @Override
    public void attach(BuiltImage built, List<Path> documents, BuildContext context)
            throws MoleculeException, IOException {
        ContainerRef ref = ContainerRef.parse(image);
        RegistryClient registry = new RegistryClient(ref.getRegistry(), access);
        try {
            byte[] manifest = manifest(built, context);
            new Referrers(registry, ref, context.log())
                    .attach(
                            RegistryClient.descriptor(
                                    RegistryClient.MANIFEST_TYPE, RegistryClient.digest(manifest), manifest.length),
                            documents,
                            built.created());
        } catch (OrasException e) {
            throw failure(registry, e);
        }
    }

    /**
     * The image's OCI manifest: config and gzipped layers, created at the output timestamp (the
     * SDK would stamp it with now), so the same image always has the same manifest digest.
     */
    private static byte[] manifest(BuiltImage built, BuildContext context) throws IOException {
        ObjectNode manifest = Json.object();
        manifest.put("schemaVersion", 2);
        manifest.put("mediaType", RegistryClient.MANIFEST_TYPE);
        manifest.set(
                "config",
                RegistryClient.descriptor(RegistryClient.CONFIG_TYPE, built.imageId(), built.config().length));
        ArrayNode layers = manifest.putArray("layers");
        for (LayerCache.Blob layer : built.layers()) {
            LayerCache.Blob gzip = context.cache().gzipped(layer);
            layers.add(RegistryClient.descriptor(RegistryClient.LAYER_TYPE, gzip.digest(), gzip.size()));
        }
        manifest.putObject("annotations")
                .put("org.opencontainers.image.created", built.created().toString());
        return Json.bytes(manifest);
    }

    private List<String> allTags(ContainerRef ref) {
        List<String> all = new ArrayList<>();
        all.add(ref.getTag());
        tags.stream().filter(tag -> !all.contains(tag)).forEach(all::add);
        return all;
    }

    private MoleculeException failure(RegistryClient registry, OrasException e) {
        String server = access.credential() == null
                ? "no <server> in settings.xml matched, so the push was anonymous"
                : "credentials came from settings.xml server '"
                        + access.credential().serverId() + "'";
        return new MoleculeException("Push of " + image + " failed (" + server + "): " + registry.why(e, image), e);
    }
}
