package ai.molecule.build;

import ai.molecule.core.Json;
import ai.molecule.core.KeyDigest;
import ai.molecule.core.LayerCache;
import ai.molecule.core.MoleculeException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import land.oras.ContainerRef;
import land.oras.Manifest;
import land.oras.Registry;
import land.oras.exception.OrasException;

/**
 * Pushed to a registry with the ORAS Java SDK, as the bytes the other targets deliver: the same
 * config (so the same image ID as the docker and tar targets), each layer gzipped once and kept in
 * the layer cache (so no push compresses an unchanged layer again), and an OCI manifest this class
 * writes itself (so two pushes of the same inputs give the same manifest digest). Blobs the
 * registry already holds are not sent.
 *
 * @param tags more tags for the same manifest, besides the one {@code image} names
 */
public record RegistryTarget(String image, RegistryAccess access, List<String> tags) implements Target {
    static final String MANIFEST_TYPE = "application/vnd.oci.image.manifest.v1+json";
    static final String CONFIG_TYPE = "application/vnd.oci.image.config.v1+json";
    static final String LAYER_TYPE = "application/vnd.oci.image.layer.v1.tar+gzip";

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
        Registry registry = registry(ref);
        context.log().info("Pushing " + image + ": " + built.layers().size() + " layers and the config");
        try {
            ObjectNode manifest = Json.object();
            manifest.put("schemaVersion", 2);
            manifest.put("mediaType", MANIFEST_TYPE);
            manifest.set("config", descriptor(CONFIG_TYPE, built.imageId(), built.config().length));
            pushConfig(registry, ref, built, context);
            ArrayNode layers = manifest.putArray("layers");
            long sent = 0;
            for (LayerCache.Blob layer : built.layers()) {
                LayerCache.Blob gzip = context.cache().gzipped(layer);
                layers.add(descriptor(LAYER_TYPE, gzip.digest(), gzip.size()));
                sent += pushBlob(registry, ref, gzip, context);
            }
            manifest.putObject("annotations")
                    .put("org.opencontainers.image.created", built.created().toString());
            byte[] json = Json.bytes(manifest);
            String digest =
                    "sha256:" + HexFormat.of().formatHex(KeyDigest.sha256().digest(json));
            String manifestJson = new String(json, StandardCharsets.UTF_8);
            for (String tag : allTags(ref)) {
                registry.pushManifest(ref.withTag(tag), Manifest.fromJson(manifestJson));
            }
            context.log()
                    .info("Pushed " + image + "@" + digest + " (" + Sizes.of(sent) + " uploaded"
                            + (tags.isEmpty() ? "" : "; also tagged " + String.join(", ", tags)) + ")");
            return new Delivered(built.imageId(), digest, null);
        } catch (OrasException e) {
            throw explain(e);
        }
    }

    private List<String> allTags(ContainerRef ref) {
        List<String> all = new ArrayList<>();
        all.add(ref.getTag());
        tags.stream().filter(tag -> !all.contains(tag)).forEach(all::add);
        return all;
    }

    private void pushConfig(Registry registry, ContainerRef ref, BuiltImage built, BuildContext context) {
        if (present(registry, ref, built.imageId())) {
            context.log().info("  config " + short12(built.imageId()) + " already in the registry");
            return;
        }
        registry.pushBlob(ref.withDigest(built.imageId()), built.config());
    }

    /** Sends one gzipped layer unless the registry has it; returns the bytes sent. */
    private long pushBlob(Registry registry, ContainerRef ref, LayerCache.Blob gzip, BuildContext context) {
        if (present(registry, ref, gzip.digest())) {
            context.log()
                    .info("  layer  " + short12(gzip.digest()) + " " + Sizes.of(gzip.size())
                            + " already in the registry");
            return 0;
        }
        long start = System.nanoTime();
        registry.pushBlob(ref.withDigest(gzip.digest()), gzip.path(), Map.of());
        context.log()
                .info("  layer  " + short12(gzip.digest()) + " " + Sizes.of(gzip.size()) + " uploaded in "
                        + ImageBuilder.millisSince(start) + " ms");
        return gzip.size();
    }

    private static boolean present(Registry registry, ContainerRef ref, String digest) {
        try {
            registry.fetchBlobDescriptor(ref.withDigest(digest));
            return true;
        } catch (OrasException e) {
            if (e.getStatusCode() != null && e.getStatusCode() == 404) {
                return false;
            }
            throw e;
        }
    }

    private Registry registry(ContainerRef ref) {
        String host = ref.getRegistry();
        Registry.Builder builder = Registry.builder();
        if (access.credential() == null) {
            return (access.allowInsecure() ? builder.insecure(host) : builder.defaults()).build();
        }
        String user = access.credential().username();
        String password = access.credential().password();
        return (access.allowInsecure() ? builder.insecure(host, user, password) : builder.defaults(user, password))
                .build();
    }

    private MoleculeException explain(OrasException e) {
        String server = access.credential() == null
                ? "no <server> in settings.xml matched, so the push was anonymous"
                : "credentials came from settings.xml server '"
                        + access.credential().serverId() + "'";
        Integer status = e.getStatusCode();
        String why = status != null && (status == 401 || status == 403)
                ? RegistryAccess.refused(image)
                : (status == null ? "" : "HTTP " + status + ": ") + redact(e.getMessage());
        return new MoleculeException("Push of " + image + " failed (" + server + "): " + why, e);
    }

    private String redact(String message) {
        if (message == null) {
            return "no message";
        }
        return access.credential() == null || access.credential().password().isEmpty()
                ? message
                : message.replace(access.credential().password(), "****");
    }

    private static ObjectNode descriptor(String mediaType, String digest, long size) {
        ObjectNode descriptor = Json.object();
        descriptor.put("mediaType", mediaType);
        descriptor.put("digest", digest);
        descriptor.put("size", size);
        return descriptor;
    }

    private static String short12(String digest) {
        return digest.substring("sha256:".length(), "sha256:".length() + 12);
    }
}
