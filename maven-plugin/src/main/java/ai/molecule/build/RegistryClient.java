package ai.molecule.build;

import ai.molecule.core.BuildLog;
import ai.molecule.core.Json;
import ai.molecule.core.KeyDigest;
import ai.molecule.core.LayerCache;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import land.oras.ContainerRef;
import land.oras.Descriptor;
import land.oras.Index;
import land.oras.Manifest;
import land.oras.Registry;
import land.oras.exception.OrasException;

/**
 * One registry as the ORAS Java SDK speaks to it, with what the push, the SBOM referrers and the
 * shared layer cache have in common: blobs sent only when missing (mounted from another repository
 * of the registry when it has them there), manifests put as the exact bytes this plugin wrote, and
 * manifests read back as JSON.
 */
final class RegistryClient {
    static final String MANIFEST_TYPE = "application/vnd.oci.image.manifest.v1+json";
    static final String INDEX_TYPE = "application/vnd.oci.image.index.v1+json";
    static final String CONFIG_TYPE = "application/vnd.oci.image.config.v1+json";
    static final String LAYER_TYPE = "application/vnd.oci.image.layer.v1.tar+gzip";
    /** The OCI empty descriptor's content, the config of an artifact that is not an image. */
    static final byte[] EMPTY = "{}".getBytes(StandardCharsets.UTF_8);

    static final String EMPTY_TYPE = "application/vnd.oci.empty.v1+json";

    private final Registry registry;
    private final RegistryAccess access;

    RegistryClient(String host, RegistryAccess access) {
        this.access = access;
        Registry.Builder builder = Registry.builder();
        if (access.credential() == null) {
            registry = (access.allowInsecure() ? builder.insecure(host) : builder.defaults()).build();
        } else {
            String user = access.credential().username();
            String password = access.credential().password();
            registry = (access.allowInsecure()
                            ? builder.insecure(host, user, password)
                            : builder.defaults(user, password))
                    .build();
        }
    }

    RegistryAccess access() {
        return access;
    }

    /** Whether {@code repository} holds the blob {@code digest} (a HEAD). */
    boolean has(ContainerRef repository, String digest) {
        try {
            registry.fetchBlobDescriptor(repository.withDigest(digest));
            return true;
        } catch (OrasException e) {
            if (isNotFound(e)) {
                return false;
            }
            throw e;
        }
    }

    /**
     * Makes {@code repository} hold {@code blob}: nothing when it has it, a cross-repository mount
     * when {@code mountFrom} (a repository of the same registry, or {@code null}) has it and the
     * registry mounts, else an upload. Logs one line naming the layer; returns the bytes sent.
     */
    long send(ContainerRef repository, LayerCache.Blob blob, String label, ContainerRef mountFrom, BuildLog log) {
        String line = "  " + label + " " + short12(blob.digest()) + " " + Sizes.of(blob.size());
        if (has(repository, blob.digest())) {
            log.info(line + " already in the registry");
            return 0;
        }
        if (mountFrom != null
                && has(mountFrom, blob.digest())
                && registry.mountBlob(mountFrom.withDigest(blob.digest()), repository.withDigest(blob.digest()))) {
            log.info(line + " mounted from " + mountFrom.getFullRepository());
            return 0;
        }
        long start = System.nanoTime();
        registry.pushBlob(repository.withDigest(blob.digest()), blob.path(), Map.of());
        log.info(line + " uploaded in " + ImageBuilder.millisSince(start) + " ms");
        return blob.size();
    }

    /** Makes {@code repository} hold {@code bytes}, a small blob (a config, a document); whether it sent them. */
    boolean send(ContainerRef repository, byte[] bytes) {
        String digest = digest(bytes);
        if (has(repository, digest)) {
            return false;
        }
        registry.pushBlob(repository.withDigest(digest), bytes);
        return true;
    }

    /** Puts {@code json}, an image manifest, under {@code reference}'s tag as these exact bytes; returns its digest. */
    String putManifest(ContainerRef reference, byte[] json) {
        registry.pushManifest(reference, Manifest.fromJson(new String(json, StandardCharsets.UTF_8)));
        return digest(json);
    }

    /** Puts {@code json}, an image index, under {@code reference}'s tag. */
    void putIndex(ContainerRef reference, byte[] json) {
        registry.pushIndex(reference, Index.fromJson(new String(json, StandardCharsets.UTF_8)));
    }

    /** The manifest or index {@code reference} names, as JSON; empty when the registry has none. */
    Optional<JsonNode> manifest(ContainerRef reference) throws IOException {
        try {
            Descriptor descriptor = registry.getDescriptor(reference);
            return Optional.of(Json.read(descriptor.getJson()));
        } catch (OrasException e) {
            if (isNotFound(e)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Whether the registry answers the referrers API for {@code repository} (OCI distribution 1.1). */
    boolean hasReferrersApi(ContainerRef repository, String digest) {
        try {
            registry.getReferrers(repository.withDigest(digest), null);
            return true;
        } catch (OrasException e) {
            if (isNotFound(e)) {
                return false;
            }
            throw e;
        }
    }

    /** Opens the blob {@code digest} of {@code repository}. */
    InputStream open(ContainerRef repository, String digest) {
        return registry.fetchBlob(repository.withDigest(digest));
    }

    /** The password, wherever a message might carry it, replaced by {@code ****}. */
    String redact(String message) {
        if (message == null) {
            return "no message";
        }
        return access.credential() == null || access.credential().password().isEmpty()
                ? message
                : message.replace(access.credential().password(), "****");
    }

    /** Why {@code e} happened, for a message about {@code reference}: the credentials' fix, or the status. */
    String why(OrasException e, String reference) {
        Integer status = e.getStatusCode();
        return status != null && (status == 401 || status == 403)
                ? RegistryAccess.refused(reference)
                : (status == null ? "" : "HTTP " + status + ": ") + redact(e.getMessage());
    }

    /** Where the credentials came from, for messages. */
    String credentialSource() {
        return access.credential() == null
                ? "no <server> in settings.xml matched, so anonymously"
                : "credentials from settings.xml server '" + access.credential().serverId() + "'";
    }

    static boolean isNotFound(OrasException e) {
        return e.getStatusCode() != null && e.getStatusCode() == 404;
    }

    /**
     * An OCI artifact manifest (image manifest 1.1 with {@code artifactType} and the empty config)
     * whose one blob is {@code layer}; callers add {@code subject} and {@code annotations}.
     */
    static ObjectNode artifact(String artifactType, ObjectNode layer) {
        ObjectNode manifest = Json.object();
        manifest.put("schemaVersion", 2);
        manifest.put("mediaType", MANIFEST_TYPE);
        manifest.put("artifactType", artifactType);
        manifest.set("config", descriptor(EMPTY_TYPE, digest(EMPTY), EMPTY.length));
        manifest.putArray("layers").add(layer);
        return manifest;
    }

    static ObjectNode descriptor(String mediaType, String digest, long size) {
        ObjectNode descriptor = Json.object();
        descriptor.put("mediaType", mediaType);
        descriptor.put("digest", digest);
        descriptor.put("size", size);
        return descriptor;
    }

    static String digest(byte[] bytes) {
        return "sha256:" + HexFormat.of().formatHex(KeyDigest.sha256().digest(bytes));
    }

    static String short12(String digest) {
        return digest.substring("sha256:".length(), "sha256:".length() + 12);
    }
}
