package ai.molecule.build;

import ai.molecule.core.BuildLog;
import ai.molecule.core.Json;
import ai.molecule.sbom.Sbom;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import land.oras.ContainerRef;
import land.oras.exception.OrasException;

/**
 * Documents about an image pushed beside it as OCI artifacts whose {@code subject} is the image
 * manifest (OCI image and distribution specs 1.1): found through the referrers API where the
 * registry has it, else through the referrers tag scheme, an image index under the tag {@code
 * sha256-<subject hex>} that lists them (what distribution 2.8, Debian's {@code docker-registry},
 * needs). Each artifact's manifest is a function of the document and the image, so pushing the
 * same image again changes nothing.
 */
final class Referrers {
    private final RegistryClient registry;
    private final ContainerRef repository;
    private final BuildLog log;

    Referrers(RegistryClient registry, ContainerRef repository, BuildLog log) {
        this.registry = registry;
        this.repository = repository;
        this.log = log;
    }

    /** The artifact type of an SBOM file the build wrote. */
    static String artifactType(Path document) {
        String name = document.getFileName().toString();
        if (name.equals(Sbom.CYCLONEDX_FILE)) {
            return "application/vnd.cyclonedx+json";
        }
        if (name.equals(Sbom.SPDX_FILE)) {
            return "application/spdx+json";
        }
        throw new IllegalArgumentException("not an SBOM of this build: " + document);
    }

    /** Pushes each document as an artifact referring to {@code subject}, a manifest descriptor. */
    void attach(ObjectNode subject, List<Path> documents, Instant created) throws IOException {
        String subjectDigest = subject.path("digest").asText();
        boolean api = registry.hasReferrersApi(repository, subjectDigest);
        registry.send(repository, RegistryClient.EMPTY);
        ArrayNode referrers = Json.array();
        for (Path document : documents) {
            byte[] bytes = Files.readAllBytes(document);
            String type = artifactType(document);
            registry.send(repository, bytes);

            ObjectNode layer = RegistryClient.descriptor(type, RegistryClient.digest(bytes), bytes.length);
            layer.putObject("annotations")
                    .put(
                            "org.opencontainers.image.title",
                            document.getFileName().toString());
            ObjectNode manifest = RegistryClient.artifact(type, layer);
            manifest.set("subject", subject);
            ObjectNode annotations =
                    manifest.putObject("annotations").put("org.opencontainers.image.created", created.toString());
            byte[] json = Json.bytes(manifest);
            String digest = RegistryClient.digest(json);
            put(repository.withDigest(digest), json, api);

            ObjectNode entry = RegistryClient.descriptor(RegistryClient.MANIFEST_TYPE, digest, json.length);
            entry.put("artifactType", type);
            entry.set("annotations", annotations);
            referrers.add(entry);
            log.info("  " + type + " " + RegistryClient.short12(digest) + " refers to "
                    + RegistryClient.short12(subjectDigest));
        }
        if (!api) {
            tagScheme(subjectDigest, referrers);
        }
    }

    /**
     * Puts an artifact manifest. Without the referrers API the registry ignores {@code subject} and
     * sends no {@code OCI-Subject} header; the SDK then throws after the manifest was stored
     * (0.7.0 leaves that client flow to the caller). The manifest's presence is checked instead.
     */
    private void put(ContainerRef reference, byte[] json, boolean api) throws IOException {
        try {
            registry.putManifest(reference, json);
        } catch (OrasException e) {
            if (api || registry.manifest(reference).isEmpty()) {
                throw e;
            }
        }
    }

    /** Adds {@code referrers} to the index under {@code sha256-<hex>}, keeping every other entry. */
    private void tagScheme(String subjectDigest, ArrayNode referrers) throws IOException {
        ContainerRef tag = repository.withTag("sha256-" + subjectDigest.substring("sha256:".length()));
        Optional<JsonNode> existing = registry.manifest(tag);
        ObjectNode index = Json.object();
        index.put("schemaVersion", 2);
        index.put("mediaType", RegistryClient.INDEX_TYPE);
        ArrayNode manifests = index.putArray("manifests");
        boolean changed = existing.isEmpty();
        if (existing.isPresent()) {
            existing.get().path("manifests").forEach(manifests::add);
        }
        for (JsonNode referrer : referrers) {
            boolean listed = false;
            for (JsonNode entry : manifests) {
                listed |= entry.path("digest")
                        .asText()
                        .equals(referrer.path("digest").asText());
            }
            if (!listed) {
                manifests.add(referrer);
                changed = true;
            }
        }
        if (changed) {
            registry.putIndex(tag, Json.bytes(index));
        }
        log.info("  referrers listed under the tag " + tag.getTag() + (changed ? "" : " (unchanged)"));
    }
}
