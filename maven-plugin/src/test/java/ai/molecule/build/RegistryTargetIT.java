package ai.molecule.build;

import static ai.molecule.build.EngineSupport.BINARY;
import static ai.molecule.build.EngineSupport.docker;
import static ai.molecule.build.EngineSupport.engineImageId;
import static ai.molecule.build.EngineSupport.engineLayers;
import static ai.molecule.build.EngineSupport.expectedOutput;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import ai.molecule.core.MoleculeException;
import ai.molecule.files.FileLayers;
import ai.molecule.image.BaseImage;
import ai.molecule.image.ImageSpec;
import ai.molecule.testing.LocalRegistry;
import ai.molecule.testing.RecordingLog;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry target against a real registry, {@link LocalRegistry}: Debian's {@code
 * docker-registry} (distribution 2.8) on loopback with htpasswd. Builds talk to it with {@code
 * allowInsecure=true} (plain HTTP), which is also what makes Jib send the credentials over HTTP.
 */
class RegistryTargetIT extends StaticBinaryEngineTest {
    private static final String SERVER_ID = "molecule-it-registry";
    private static final String USER = LocalRegistry.USER;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path registryDir;

    private static LocalRegistry registry;
    private static String password;

    @BeforeAll
    static void startRegistry() throws Exception {
        registry = LocalRegistry.start(registryDir);
        password = registry.password();
    }

    @AfterAll
    static void stopRegistry() throws Exception {
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void pushWithCredentialsStoresTheReportedManifest() throws Exception {
        String repository = "molecule-it/push-" + EngineSupport.randomHex(6);
        String image = registryHost() + "/" + repository + ":1";
        RecordingLog log = new RecordingLog();

        String nonce = UUID.randomUUID().toString();
        BuildResult result = new ImageBuilder(cache, log)
                .build(
                        spec(nonce).build(),
                        new RegistryTarget(image, access(password), List.of("runtime-1.0.0")),
                        work.resolve("report"));
        BuildResult tar = new ImageBuilder(cache, new RecordingLog())
                .build(
                        spec(nonce).build(),
                        new TarTarget("molecule-it/tar:1", work.resolve("tar/image.tar")),
                        work.resolve("tar"));

        assertThat(result.target()).isEqualTo("registry");
        assertThat(result.imageId()).as("the pushed image is the tar's image").isEqualTo(tar.imageId());
        assertThat(result.manifestDigest()).matches("sha256:[0-9a-f]{64}");
        assertThat(log.messages())
                .anySatisfy(line -> assertThat(line)
                        .startsWith("Pushed " + image + "@" + result.manifestDigest() + " (")
                        .endsWith("uploaded; also tagged runtime-1.0.0)"))
                .anySatisfy(line -> assertThat(line).matches("  layer  [0-9a-f]{12} .* uploaded in [0-9]+ ms"));

        // The same inputs again, from another cache: the same manifest, nothing uploaded.
        RecordingLog again = new RecordingLog();
        BuildResult second = new ImageBuilder(work.resolve("second-cache"), again)
                .build(spec(nonce).build(), new RegistryTarget(image, access(password)), work.resolve("again"));
        assertThat(second.manifestDigest()).isEqualTo(result.manifestDigest());
        assertThat(again.messages())
                .noneSatisfy(line -> assertThat(line).contains("uploaded in"))
                .anySatisfy(line -> assertThat(line).contains("(0.0 KB uploaded)"))
                .anySatisfy(line -> assertThat(line).matches("  config [0-9a-f]{12} already in the registry"));
        assertThat(new ObjectMapper()
                        .readTree(work.resolve("report")
                                .resolve(ImageBuilder.REPORT_FILE)
                                .toFile())
                        .path("manifestDigest")
                        .asText())
                .isEqualTo(result.manifestDigest());

        HttpResponse<byte[]> manifest = getManifest(repository, "1", USER, password);
        assertThat(manifest.statusCode()).as("GET manifest status").isEqualTo(200);
        assertThat(manifest.headers().firstValue("Docker-Content-Digest")).hasValue(result.manifestDigest());
        assertThat("sha256:"
                        + HexFormat.of()
                                .formatHex(MessageDigest.getInstance("SHA-256").digest(manifest.body())))
                .isEqualTo(result.manifestDigest());
        JsonNode body = JSON.readTree(manifest.body());
        assertThat(body.path("mediaType").asText()).isEqualTo("application/vnd.oci.image.manifest.v1+json");
        assertThat(body.path("config").path("digest").asText()).isEqualTo(result.imageId());
        assertThat(body.path("layers")).hasSize(1);
        assertThat(body.path("layers").get(0).path("mediaType").asText())
                .isEqualTo("application/vnd.oci.image.layer.v1.tar+gzip");
        assertThat(getManifest(repository, "runtime-1.0.0", USER, password)
                        .headers()
                        .firstValue("Docker-Content-Digest"))
                .hasValue(result.manifestDigest());

        assertThat(getManifest(repository, "1", null, null).statusCode())
                .as("anonymous GET manifest status (the registry really requires auth)")
                .isEqualTo(401);

        // The SBOMs are artifacts referring to the image, listed under the referrers tag (distribution 2.8
        // has no referrers API): each the written document, its subject the pushed manifest.
        assertThat(registry.get(repository + "/referrers/" + result.manifestDigest())
                        .statusCode())
                .as("this registry has no referrers API, so the tag scheme is the one tested")
                .isEqualTo(404);
        String referrersTag = "sha256-" + result.manifestDigest().substring("sha256:".length());
        HttpResponse<byte[]> index = getManifest(repository, referrersTag, USER, password);
        assertThat(index.statusCode()).as("GET the referrers tag").isEqualTo(200);
        JsonNode referrers = JSON.readTree(index.body());
        assertThat(referrers.path("mediaType").asText()).isEqualTo("application/vnd.oci.image.index.v1+json");
        assertThat(referrers.path("manifests").findValuesAsText("artifactType"))
                .as("one referrer per document, also after the second push")
                .containsExactlyInAnyOrder("application/vnd.cyclonedx+json", "application/spdx+json");
        for (JsonNode referrer : referrers.path("manifests")) {
            HttpResponse<byte[]> artifact =
                    getManifest(repository, referrer.path("digest").asText(), USER, password);
            assertThat(artifact.statusCode()).isEqualTo(200);
            JsonNode body2 = JSON.readTree(artifact.body());
            assertThat(body2.path("subject").path("digest").asText()).isEqualTo(result.manifestDigest());
            assertThat(body2.path("subject").path("size").asLong()).isEqualTo(manifest.body().length);
            assertThat(body2.path("artifactType").asText())
                    .isEqualTo(referrer.path("artifactType").asText());
            assertThat(body2.path("config").path("mediaType").asText()).isEqualTo("application/vnd.oci.empty.v1+json");
            JsonNode layer = body2.path("layers").get(0);
            String file = layer.path("annotations")
                    .path("org.opencontainers.image.title")
                    .asText();
            assertThat(file).isIn(ImageBuilder.CYCLONEDX_FILE, ImageBuilder.SPDX_FILE);
            HttpResponse<byte[]> blob =
                    registry.get(repository + "/blobs/" + layer.path("digest").asText());
            assertThat(blob.body())
                    .as("the pushed %s is the written one", file)
                    .isEqualTo(Files.readAllBytes(work.resolve("report").resolve(file)));
        }
        assertThat(again.messages()).contains("  referrers listed under the tag " + referrersTag + " (unchanged)");
    }

    @Test
    void registryBaseIsPulledWithCredentialsBelowOurLayers() throws Exception {
        String baseNonce = UUID.randomUUID().toString();
        String baseImage = registryHost() + "/molecule-it/base-" + EngineSupport.randomHex(6) + ":1";
        BuildResult base = new ImageBuilder(cache, new RecordingLog())
                .build(spec(baseNonce).build(), new RegistryTarget(baseImage, access(password)), work.resolve("base"));
        String baseDiffId = base.layers().get(0).diffId();

        Path extra = work.resolve("extra/etc/molecule/extra.txt");
        Files.createDirectories(extra.getParent());
        Files.writeString(extra, "pulled from the registry\n", StandardCharsets.UTF_8);
        String nonce = UUID.randomUUID().toString();
        String image = images.unique("registry-derived");
        RecordingLog log = new RecordingLog();
        // A fresh cache: the base's layer must come from the registry, not from the push above.
        BuildResult derived = new ImageBuilder(work.resolve("fresh-cache"), log)
                .build(
                        ImageSpec.builder()
                                .base(new BaseImage.Registry(baseImage))
                                .addLayer(FileLayers.scan(
                                        "extra", work.resolve("extra"), "/", List.of(), List.of(), List.of(), Map.of()))
                                .environment(Map.of("MOLECULE_NONCE", nonce))
                                .build(),
                        access(password),
                        new DockerTarget(image),
                        work.resolve("derived"));
        images.track(derived.imageId());

        assertThat(derived.base()).isEqualTo("registry://" + baseImage);
        assertThat(derived.layers())
                .extracting(BuildResult.LayerReport::name, BuildResult.LayerReport::source)
                .containsExactly(tuple("base 1", "base"), tuple("extra", "build"));
        assertThat(derived.layers().get(0).diffId()).isEqualTo(baseDiffId);
        assertThat(engineImageId(image)).isEqualTo(derived.imageId());
        assertThat(engineLayers(image))
                .containsExactly(baseDiffId, derived.layers().get(1).diffId());

        EngineSupport.Exec run = docker("run", "--rm", image, "/etc/molecule/extra.txt");
        assertThat(run.exit()).as("docker run exit; stderr: %s", run.stderr()).isZero();
        assertThat(run.stdout()).isEqualTo(expectedOutput(nonce) + "pulled from the registry\n");
    }

    @Test
    void wrongPasswordIsRefusedWithoutLeakingIt() throws Exception {
        String repository = "molecule-it/refused-" + EngineSupport.randomHex(6);
        String image = registryHost() + "/" + repository + ":1";
        String wrong = "wrong-" + EngineSupport.randomHex(12);

        MoleculeException failure = catchThrowableOfType(
                MoleculeException.class,
                () -> new ImageBuilder(cache, new RecordingLog())
                        .build(
                                spec(UUID.randomUUID().toString()).build(),
                                new RegistryTarget(image, access(wrong)),
                                work.resolve("report")));

        assertThat(failure).as("the push with a wrong password must fail").isNotNull();
        assertThat(failure.getMessage())
                .startsWith("Push of " + image + " failed (credentials came from settings.xml server '" + SERVER_ID
                        + "'): the registry refused the credentials for ")
                .contains(repository)
                .contains("(HTTP 401/403)")
                .contains("Put a <server> with the registry host as <id>")
                .contains("in ~/.m2/settings.xml; credentials never go in the POM")
                .doesNotContain(wrong)
                .doesNotContain(password);
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            assertThat(String.valueOf(cause.getMessage()))
                    .as("message of %s", cause.getClass().getName())
                    .doesNotContain(wrong);
        }
        assertThat(work.resolve("report").resolve(ImageBuilder.REPORT_FILE)).doesNotExist();
        assertThat(getManifest(repository, "1", USER, password).statusCode())
                .as("nothing was stored under the refused tag")
                .isEqualTo(404);
    }

    private ImageSpec.Builder spec(String nonce) throws Exception {
        return ImageSpec.builder()
                .addLayer(EngineSupport.binaryLayer(binaryDir))
                .environment(Map.of("MOLECULE_NONCE", nonce))
                .entrypoint(List.of(BINARY));
    }

    private static RegistryAccess access(String secret) {
        return new RegistryAccess(new RegistryAccess.Credential(SERVER_ID, USER, secret), true);
    }

    private static String registryHost() {
        return registry.host();
    }

    private static HttpResponse<byte[]> getManifest(String repository, String tag, String user, String secret)
            throws IOException, InterruptedException {
        return registry.get(repository + "/manifests/" + tag, user, secret);
    }
}
