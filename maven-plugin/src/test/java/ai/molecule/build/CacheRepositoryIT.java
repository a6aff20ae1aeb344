package ai.molecule.build;

import static org.assertj.core.api.Assertions.assertThat;

import ai.molecule.core.CacheOutcome;
import ai.molecule.files.FileLayers;
import ai.molecule.image.ImageSpec;
import ai.molecule.testing.LocalRegistry;
import ai.molecule.testing.RecordingLog;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The layer cache shared through a registry ({@code <cacheRepository>}), against {@link
 * LocalRegistry}: empty local caches stand for fresh CI runners.
 */
class CacheRepositoryIT {
    private static final String SERVER_ID = "molecule-it-cache";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path registryDir;

    private static LocalRegistry registry;

    @TempDir
    Path work;

    @BeforeAll
    static void startRegistry() throws Exception {
        registry = LocalRegistry.start(registryDir);
    }

    @AfterAll
    static void stopRegistry() throws Exception {
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void secondRunnerFetchesEveryLayerAndBuildsNone() throws Exception {
        String repository = cacheRepository();
        ImageSpec spec = spec(UUID.randomUUID().toString());
        RecordingLog first = new RecordingLog();
        BuildResult built = build(spec, "runner-1", repository, registry.password(), first);
        assertThat(built.layers()).extracting(BuildResult.LayerReport::cache).containsOnly(CacheOutcome.MISS);
        assertThat(first.messages())
                .anySatisfy(line -> assertThat(line)
                        .startsWith("Shared 3 layers through " + repository + " (")
                        .endsWith(" uploaded)")
                        .doesNotContain("(0.0 KB"));

        RecordingLog second = new RecordingLog();
        BuildResult again = build(spec, "runner-2", repository, registry.password(), second);

        assertThat(again.imageId()).as("the same image from the shared layers").isEqualTo(built.imageId());
        assertThat(again.layers()).extracting(BuildResult.LayerReport::cache).containsOnly(CacheOutcome.HIT);
        assertThat(second.messages().stream().filter(line -> line.contains(" fetched from " + repository)))
                .hasSize(3);
        assertThat(second.messages()).noneSatisfy(line -> assertThat(line).contains("built  "));
        assertThat(second.warnings).isEmpty();
        assertThat(Files.readAllBytes(work.resolve("runner-2/image.tar")))
                .as("the same tar, byte for byte")
                .isEqualTo(Files.readAllBytes(work.resolve("runner-1/image.tar")));

        // Each entry: an OCI artifact under the layer's key, whose blob is the gzip the image push sends.
        BuildResult.LayerReport layer = built.layers().get(0);
        JsonNode entry = JSON.readTree(
                registry.get(path(repository) + "/manifests/" + layer.key()).body());
        assertThat(entry.path("artifactType").asText()).isEqualTo("application/vnd.molecule.layer.v1");
        assertThat(entry.path("layers")
                        .get(0)
                        .path("annotations")
                        .path("ai.molecule.layer.diff-id")
                        .asText())
                .isEqualTo(layer.diffId());

        // An image pushed to another repository of the same registry mounts the layers instead of sending them.
        RecordingLog push = new RecordingLog();
        String image = registry.host() + "/molecule-it/mounted-" + EngineSupport.randomHex(4) + ":1";
        new ImageBuilder(work.resolve("runner-2-cache"), push)
                .sharingLayersThrough(new CacheRepository(repository, access(registry.password()), push))
                .build(spec, new RegistryTarget(image, access(registry.password())), work.resolve("push"));
        assertThat(push.messages().stream().filter(line -> line.contains(" mounted from " + path(repository))))
                .as("the push's log: %s", push.messages())
                .hasSize(3);
        assertThat(push.messages()).noneSatisfy(line -> assertThat(line).contains("uploaded in"));

        // A runner whose own cache is warm fills an empty repository with the layers it holds.
        String fresh = cacheRepository();
        RecordingLog warm = new RecordingLog();
        BuildResult warmBuild = build(spec, "runner-1", fresh, registry.password(), warm);
        assertThat(warmBuild.layers())
                .extracting(BuildResult.LayerReport::cache)
                .containsOnly(CacheOutcome.HIT);
        assertThat(warm.messages()).anySatisfy(line -> assertThat(line).startsWith("Shared 3 layers through " + fresh));
    }

    @Test
    void corruptBlobInTheRegistryIsRefusedRebuiltAndReplaced() throws Exception {
        String repository = cacheRepository();
        ImageSpec spec = spec(UUID.randomUUID().toString());
        BuildResult built = build(spec, "runner-1", repository, registry.password(), new RecordingLog());

        // The registry's disk flips bytes of the first layer's gzip; distribution serves it unchecked.
        BuildResult.LayerReport layer = built.layers().get(0);
        String gzipDigest = JSON.readTree(registry.get(path(repository) + "/manifests/" + layer.key())
                        .body())
                .path("layers")
                .get(0)
                .path("digest")
                .asText();
        Path stored = registry.blobFile(gzipDigest);
        byte[] bytes = Files.readAllBytes(stored);
        bytes[bytes.length / 2] ^= 0x5a;
        bytes[bytes.length - 9] ^= 0x5a;
        Files.write(stored, bytes);

        RecordingLog second = new RecordingLog();
        BuildResult again = build(spec, "runner-2", repository, registry.password(), second);
        assertThat(again.imageId()).isEqualTo(built.imageId());
        assertThat(again.layers().get(0).cache())
                .as("the refused layer is built")
                .isEqualTo(CacheOutcome.MISS);
        assertThat(again.layers().subList(1, 3))
                .extracting(BuildResult.LayerReport::cache)
                .containsOnly(CacheOutcome.HIT);
        assertThat(second.warnings)
                .singleElement()
                .asString()
                .startsWith("Refused layer " + layer.key().substring(0, 12) + " from the shared cache " + repository
                        + ": it served bytes whose SHA-256 is ")
                .endsWith(", not the " + gzipDigest + " its manifest names; building it here. The registry's copy of "
                        + gzipDigest + " is corrupt: delete it from the registry's storage (then garbage-collect) to"
                        + " repair the shared cache");
        assertThat(Files.readAllBytes(work.resolve("runner-2/image.tar")))
                .as("0 served corrupt: the same tar as the first runner's")
                .isEqualTo(Files.readAllBytes(work.resolve("runner-1/image.tar")));

        // Distribution keeps the first bytes stored under a digest, so the entry stays refused until the
        // registry is repaired: every runner refuses it again and builds the layer right.
        RecordingLog third = new RecordingLog();
        BuildResult thirdBuild = build(spec, "runner-3", repository, registry.password(), third);
        assertThat(thirdBuild.layers())
                .as("the third runner's log: %s", third.messages())
                .extracting(BuildResult.LayerReport::cache)
                .containsExactly(CacheOutcome.MISS, CacheOutcome.HIT, CacheOutcome.HIT);
        assertThat(third.warnings).singleElement().asString().startsWith("Refused layer ");
        assertThat(thirdBuild.imageId()).isEqualTo(built.imageId());
    }

    @Test
    void entryClaimingAnotherLayerIsRefused() throws Exception {
        String repository = cacheRepository();
        ImageSpec spec = spec(UUID.randomUUID().toString());
        BuildResult built = build(spec, "runner-1", repository, registry.password(), new RecordingLog());

        // Poison the first layer's entry: its manifest now points at the second layer's gzip.
        String first = path(repository) + "/manifests/" + built.layers().get(0).key();
        JsonNode poisoned = JSON.readTree(registry.get(first).body());
        JsonNode other = JSON.readTree(registry.get(path(repository) + "/manifests/"
                                + built.layers().get(1).key())
                        .body())
                .path("layers")
                .get(0);
        ObjectNode descriptor = (ObjectNode) poisoned.path("layers").get(0);
        descriptor.put("digest", other.path("digest").asText());
        descriptor.put("size", other.path("size").asLong());
        assertThat(registry.put(first, "application/vnd.oci.image.manifest.v1+json", JSON.writeValueAsBytes(poisoned))
                        .statusCode())
                .isEqualTo(201);

        RecordingLog second = new RecordingLog();
        BuildResult again = build(spec, "runner-2", repository, registry.password(), second);
        assertThat(again.imageId()).isEqualTo(built.imageId());
        assertThat(again.layers().get(0).cache()).isEqualTo(CacheOutcome.MISS);
        assertThat(second.warnings)
                .singleElement()
                .asString()
                .contains("its layer's diff ID is " + built.layers().get(1).diffId() + ", not the "
                        + built.layers().get(0).diffId() + " it claims");
        assertThat(Files.readAllBytes(work.resolve("runner-2/image.tar")))
                .isEqualTo(Files.readAllBytes(work.resolve("runner-1/image.tar")));

        // Sharing the rebuilt layer replaced the poisoned entry: a third runner takes every layer.
        RecordingLog third = new RecordingLog();
        BuildResult thirdBuild = build(spec, "runner-3", repository, registry.password(), third);
        assertThat(thirdBuild.layers())
                .as("the third runner's log: %s", third.messages())
                .extracting(BuildResult.LayerReport::cache)
                .containsOnly(CacheOutcome.HIT);
        assertThat(third.warnings).isEmpty();
    }

    @Test
    void unreachableRepositoryCostsOneWarning() throws Exception {
        String repository = "127.0.0.1:" + LocalRegistry.freePort() + "/molecule-it/cache";
        ImageSpec spec = spec(UUID.randomUUID().toString());
        RecordingLog log = new RecordingLog();
        BuildResult built = build(spec, "runner-1", repository, registry.password(), log);

        assertThat(built.layers()).extracting(BuildResult.LayerReport::cache).containsOnly(CacheOutcome.MISS);
        assertThat(log.warnings)
                .singleElement()
                .asString()
                .startsWith("The shared layer cache " + repository + " cannot be used (credentials from settings.xml"
                        + " server '" + SERVER_ID + "'): ")
                .endsWith(". Building without it");
        assertThat(work.resolve("runner-1/image.tar")).isRegularFile();
    }

    @Test
    void refusedCredentialsCostOneWarningWithoutThePassword() throws Exception {
        String repository = cacheRepository();
        String wrong = "wrong-" + EngineSupport.randomHex(8);
        RecordingLog log = new RecordingLog();
        BuildResult built = build(spec(UUID.randomUUID().toString()), "runner-1", repository, wrong, log);

        assertThat(built.layers()).extracting(BuildResult.LayerReport::cache).containsOnly(CacheOutcome.MISS);
        assertThat(log.warnings)
                .singleElement()
                .asString()
                .contains("the registry refused the credentials for " + repository + " (HTTP 401/403)");
        assertThat(String.join("\n", log.messages())).doesNotContain(wrong);
    }

    private BuildResult build(ImageSpec spec, String runner, String repository, String password, RecordingLog log)
            throws Exception {
        Path dir = work.resolve(runner);
        return new ImageBuilder(work.resolve(runner + "-cache"), log)
                .withoutSboms()
                .sharingLayersThrough(new CacheRepository(repository, access(password), log))
                .build(spec, new TarTarget("molecule-it/shared:1", dir.resolve("image.tar")), dir);
    }

    /** Three file layers with content unique to the test. */
    private ImageSpec spec(String nonce) throws Exception {
        ImageSpec.Builder spec = ImageSpec.builder().environment(Map.of("MOLECULE_NONCE", nonce));
        for (String name : List.of("tools", "config", "app")) {
            Path root = work.resolve("src-" + name);
            Path file = root.resolve("opt/" + name + "/content.txt");
            Files.createDirectories(file.getParent());
            Files.writeString(file, (name + " " + nonce + "\n").repeat(2000), StandardCharsets.UTF_8);
            spec.addLayer(FileLayers.scan(name, root, "/", List.of(), List.of(), List.of(), Map.of()));
        }
        return spec.build();
    }

    private static String cacheRepository() {
        return registry.host() + "/molecule-it/cache-" + EngineSupport.randomHex(4);
    }

    private static String path(String repository) {
        return repository.substring(repository.indexOf('/') + 1);
    }

    private static RegistryAccess access(String password) {
        return new RegistryAccess(new RegistryAccess.Credential(SERVER_ID, LocalRegistry.USER, password), true);
    }
}
