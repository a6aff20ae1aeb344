package ai.molecule.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.molecule.core.CacheOutcome;
import ai.molecule.core.LayerSpec;
import ai.molecule.core.MoleculeException;
import ai.molecule.files.FileLayers;
import ai.molecule.files.PermissionRule;
import ai.molecule.image.BaseImage;
import ai.molecule.image.ImageSpec;
import ai.molecule.testing.RecordingLog;
import ai.molecule.testing.TarEntries;
import ai.molecule.validate.ValidationException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageBuilderTest {
    private static final Instant CREATED = Instant.parse("2026-01-01T00:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private Path project;
    private final RecordingLog log = new RecordingLog();

    @BeforeEach
    void template() throws IOException {
        project = tmp.resolve("project");
        Files.createDirectories(project.resolve("src/main/image/app"));
        Files.createDirectories(project.resolve("extra"));
        Files.writeString(project.resolve("src/main/image/app/adapter.py"), "print('adapter')\n");
        Files.writeString(project.resolve("src/main/image/app/config.yaml"), "providers: []\n");
        Files.writeString(project.resolve("extra/helper.sh"), "#!/bin/sh\necho helper\n");
    }

    @Test
    void twoCleanBuildsGiveOneDigest() throws Exception {
        BuildResult first = build(spec(Map.of()), tmp.resolve("cache-1"), tmp.resolve("out-1"));
        BuildResult second = build(spec(Map.of()), tmp.resolve("cache-2"), tmp.resolve("out-2"));

        assertThat(second.imageId()).isEqualTo(first.imageId());
        assertThat(Files.readAllBytes(Path.of(second.output()))).isEqualTo(Files.readAllBytes(Path.of(first.output())));
        for (String sbom : List.of(ImageBuilder.CYCLONEDX_FILE, ImageBuilder.SPDX_FILE)) {
            assertThat(Files.readAllBytes(tmp.resolve("out-2").resolve(sbom)))
                    .as(sbom)
                    .isEqualTo(Files.readAllBytes(tmp.resolve("out-1").resolve(sbom)));
        }
        assertThat(first.layers()).extracting(BuildResult.LayerReport::cache).containsOnly(CacheOutcome.MISS);
    }

    @Test
    void unchangedInputsReuseEveryLayer() throws Exception {
        Path cache = tmp.resolve("cache");
        BuildResult first = build(spec(Map.of()), cache, tmp.resolve("out"));
        BuildResult again = build(spec(Map.of()), cache, tmp.resolve("out"));

        assertThat(again.layers()).extracting(BuildResult.LayerReport::cache).containsOnly(CacheOutcome.HIT);
        assertThat(again.imageId()).isEqualTo(first.imageId());
    }

    @Test
    void oneChangedByteRebuildsExactlyThatLayer() throws Exception {
        Path cache = tmp.resolve("cache");
        BuildResult before = build(spec(Map.of()), cache, tmp.resolve("out"));
        Files.writeString(project.resolve("extra/helper.sh"), "#!/bin/sh\necho helpes\n");

        BuildResult after = build(spec(Map.of()), cache, tmp.resolve("out"));

        assertThat(after.layers())
                .extracting(BuildResult.LayerReport::name, BuildResult.LayerReport::cache)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("image-files", CacheOutcome.HIT),
                        org.assertj.core.groups.Tuple.tuple("extra", CacheOutcome.MISS));
        assertThat(after.imageId()).isNotEqualTo(before.imageId());
    }

    @Test
    void changedModeRebuildsTheLayerEvenWithSameBytes() throws Exception {
        Path cache = tmp.resolve("cache");
        build(spec(Map.of()), cache, tmp.resolve("out"));
        List<PermissionRule> rules = List.of(
                new PermissionRule("/app/*.yaml", OptionalInt.of(0600), OptionalInt.of(1000), OptionalInt.of(1000)));

        BuildResult after = build(spec(Map.of(), rules), cache, tmp.resolve("out"));

        assertThat(after.layers())
                .extracting(BuildResult.LayerReport::cache)
                .containsExactly(CacheOutcome.MISS, CacheOutcome.HIT);
    }

    @Test
    void buildArgumentRebuildsOnlyTheLayerThatDeclaresItAndIsLabelled() throws Exception {
        Path cache = tmp.resolve("cache");
        build(spec(Map.of("runtimeVersion", "1.0.0")), cache, tmp.resolve("out"));

        BuildResult bumped = build(spec(Map.of("runtimeVersion", "1.0.1")), cache, tmp.resolve("out"));

        assertThat(bumped.layers())
                .extracting(BuildResult.LayerReport::name, BuildResult.LayerReport::cache)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("image-files", CacheOutcome.HIT),
                        org.assertj.core.groups.Tuple.tuple("extra", CacheOutcome.MISS));
        assertThat(config(bumped)
                        .at("/config/Labels/ai.molecule.build-arg.runtimeVersion")
                        .asText())
                .isEqualTo("1.0.1");
        assertThat(bumped.buildArgs()).containsEntry("runtimeVersion", "1.0.1");
    }

    @Test
    void configCarriesEveryContainerSetting() throws Exception {
        ImageSpec spec = ImageSpec.builder()
                .addLayer(imageFiles(List.of()))
                .environment(Map.of("ADAPTER_MODULE", "adapter", "PYTHONPATH", "/app"))
                .user("1000")
                .workingDirectory("/workspace")
                .entrypoint(List.of("/usr/local/bin/molecule-entrypoint"))
                .cmd(List.of("molecule-runtime"))
                .labels(Map.of("org.opencontainers.image.title", "claude-code"))
                .exposedPorts(List.of("8000/tcp"))
                .volumes(List.of("/workspace"))
                .creationTime(CREATED)
                .build();

        JsonNode config = config(build(spec, tmp.resolve("cache"), tmp.resolve("out")));

        assertThat(config.path("created").asText()).isEqualTo("2026-01-01T00:00:00Z");
        assertThat(config.path("architecture").asText()).isEqualTo("amd64");
        assertThat(config.at("/config/Env").toString()).isEqualTo("[\"ADAPTER_MODULE=adapter\",\"PYTHONPATH=/app\"]");
        assertThat(config.at("/config/User").asText()).isEqualTo("1000");
        assertThat(config.at("/config/WorkingDir").asText()).isEqualTo("/workspace");
        assertThat(config.at("/config/Entrypoint").toString()).isEqualTo("[\"/usr/local/bin/molecule-entrypoint\"]");
        assertThat(config.at("/config/Cmd").toString()).isEqualTo("[\"molecule-runtime\"]");
        assertThat(config.at("/config/Labels/org.opencontainers.image.title").asText())
                .isEqualTo("claude-code");
        assertThat(config.at("/config/ExposedPorts").has("8000/tcp")).isTrue();
        assertThat(config.at("/config/Volumes").has("/workspace")).isTrue();
        assertThat(config.at("/rootfs/diff_ids")).hasSize(1);
    }

    @Test
    void everyEntryCarriesTheOutputTimestamp() throws Exception {
        BuildResult result = build(spec(Map.of()), tmp.resolve("cache"), tmp.resolve("out"));

        Map<String, TarArchiveEntry> image = TarEntries.read(Path.of(result.output()));
        assertThat(image.values())
                .allSatisfy(e -> assertThat(e.getModTime().toInstant()).isEqualTo(CREATED));
        Path blob = tmp.resolve("cache/blobs/sha256")
                .resolve(result.layers().get(0).diffId().substring(7));
        assertThat(TarEntries.read(blob).values())
                .isNotEmpty()
                .allSatisfy(e -> assertThat(e.getModTime().toInstant()).isEqualTo(CREATED));
    }

    @Test
    void tarBaseLayersComeFirstAndItsConfigIsInherited() throws Exception {
        ImageSpec baseSpec = ImageSpec.builder()
                .addLayer(imageFiles(List.of()))
                .environment(Map.of("PATH", "/usr/bin", "LANG", "C.UTF-8"))
                .entrypoint(List.of("/base-entry"))
                .cmd(List.of("base-cmd"))
                .labels(Map.of("base", "yes"))
                .creationTime(CREATED)
                .build();
        BuildResult base = build(baseSpec, tmp.resolve("cache"), tmp.resolve("base-out"), "molecule-test/base:1");
        ImageSpec derived = ImageSpec.builder()
                .base(new BaseImage.TarFile(Path.of(base.output())))
                .addLayer(extraFiles(Map.of()))
                .environment(Map.of("PATH", "/opt/bin:/usr/bin"))
                .creationTime(CREATED)
                .build();

        BuildResult result = build(derived, tmp.resolve("cache-2"), tmp.resolve("out"));
        JsonNode config = config(result);

        assertThat(result.layers()).extracting(BuildResult.LayerReport::source).containsExactly("base", "build");
        assertThat(result.layers().get(0).diffId())
                .isEqualTo(base.layers().get(0).diffId());
        assertThat(config.at("/config/Env").toString()).isEqualTo("[\"LANG=C.UTF-8\",\"PATH=/opt/bin:/usr/bin\"]");
        assertThat(config.at("/config/Entrypoint").toString()).isEqualTo("[\"/base-entry\"]");
        assertThat(config.at("/config/Cmd").toString()).isEqualTo("[\"base-cmd\"]");
        assertThat(config.at("/config/Labels/base").asText()).isEqualTo("yes");
        assertThat(config.at("/history")).hasSize(2);
    }

    @Test
    void newEntrypointResetsTheBaseCmd() throws Exception {
        ImageSpec baseSpec = ImageSpec.builder()
                .entrypoint(List.of("/a"))
                .cmd(List.of("b"))
                .creationTime(CREATED)
                .build();
        BuildResult base = build(baseSpec, tmp.resolve("cache"), tmp.resolve("base-out"), "molecule-test/base:1");
        ImageSpec derived = ImageSpec.builder()
                .base(new BaseImage.TarFile(Path.of(base.output())))
                .entrypoint(List.of("/c"))
                .creationTime(CREATED)
                .build();

        JsonNode config = config(build(derived, tmp.resolve("cache"), tmp.resolve("out")));

        assertThat(config.at("/config/Entrypoint").toString()).isEqualTo("[\"/c\"]");
        assertThat(config.at("/config/Cmd").isMissingNode()).isTrue();
    }

    @Test
    void corruptCacheEntryIsRebuiltWithAWarning() throws Exception {
        Path cache = tmp.resolve("cache");
        BuildResult first = build(spec(Map.of()), cache, tmp.resolve("out"));
        Path blob = cache.resolve("blobs/sha256")
                .resolve(first.layers().get(1).diffId().substring(7));
        try (RandomAccessFile file = new RandomAccessFile(blob.toFile(), "rw")) {
            file.setLength(file.length() / 2);
        }

        BuildResult second = build(spec(Map.of()), cache, tmp.resolve("out"));

        assertThat(second.layers())
                .extracting(BuildResult.LayerReport::cache)
                .containsExactly(CacheOutcome.HIT, CacheOutcome.MISS);
        assertThat(second.imageId()).isEqualTo(first.imageId());
        assertThat(log.warnings).anySatisfy(w -> assertThat(w).contains("is corrupt"));
    }

    @Test
    void concurrentBuildsSharingTheCacheAgree() throws Exception {
        Path cache = tmp.resolve("cache");
        String expected = build(spec(Map.of()), tmp.resolve("reference-cache"), tmp.resolve("ref"))
                .imageId();

        List<CompletableFuture<BuildResult>> builds = Stream.of("a", "b", "c")
                .map(name -> CompletableFuture.supplyAsync(() -> {
                    try {
                        return build(spec(Map.of()), cache, tmp.resolve("out-" + name));
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }))
                .toList();

        for (CompletableFuture<BuildResult> build : builds) {
            assertThat(build.get().imageId()).isEqualTo(expected);
        }
        assertThat(build(spec(Map.of()), cache, tmp.resolve("out")).layers())
                .extracting(BuildResult.LayerReport::cache)
                .containsOnly(CacheOutcome.HIT);
        assertThat(log.warnings).isEmpty();
    }

    @Test
    void unreadableBaseTarNamesTheBaseElement() throws Exception {
        Path garbage = Files.writeString(tmp.resolve("base.tar"), "this is not a tar");
        ImageSpec spec =
                ImageSpec.builder().base(new BaseImage.TarFile(garbage)).build();

        assertThatThrownBy(() -> build(spec, tmp.resolve("cache"), tmp.resolve("out")))
                .isInstanceOf(MoleculeException.class)
                .hasMessageStartingWith("Cannot read base tar " + garbage + " (<base>): ")
                .hasMessageEndingWith(
                        "Point tar:// at a file written by `docker save -o` or by this plugin's tar target");
    }

    @Test
    void failedBuildLeavesNoTarNoReportAndNoPartialFile() throws Exception {
        Path out = tmp.resolve("out");
        build(spec(Map.of()), tmp.resolve("cache"), out);
        assertThat(out.resolve("image.tar")).exists();
        ImageSpec broken = ImageSpec.builder()
                .base(new BaseImage.TarFile(Files.writeString(tmp.resolve("bad.tar"), "garbage")))
                .addLayer(imageFiles(List.of()))
                .build();

        assertThatThrownBy(() -> build(broken, tmp.resolve("cache"), out)).isInstanceOf(MoleculeException.class);

        try (Stream<Path> files = Files.list(out)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void aDeliveryThatFailsLeavesNoSbomThoughTheyWereWrittenBesideIt() throws Exception {
        Path out = tmp.resolve("out");
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        // Nothing listens there: the push fails after the layers, while the SBOMs are being written.
        RegistryTarget target = new RegistryTarget("127.0.0.1:" + closed + "/x:1", new RegistryAccess(null, true));

        assertThatThrownBy(() -> new ImageBuilder(tmp.resolve("cache"), log).build(spec(Map.of()), target, out))
                .isInstanceOf(MoleculeException.class)
                .hasMessageStartingWith("Push of 127.0.0.1:" + closed + "/x:1 failed");

        try (Stream<Path> files = Files.list(out)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .doesNotContain(ImageBuilder.CYCLONEDX_FILE, ImageBuilder.SPDX_FILE, ImageBuilder.REPORT_FILE);
        }
    }

    @Test
    void secretInATemplateLayerFailsTheBuildAndLeavesNoTarReportOrCacheBlob() throws Exception {
        String token = "ghp" + "_" + "R7kq2Vx9Lm4Pz8Tn3Wb6Yc1Hd5Jf0Gs2Ae7U";
        Path cache = tmp.resolve("cache");
        Path out = tmp.resolve("out");
        build(spec(Map.of()), cache, out);
        Set<Path> blobsBefore = blobs(cache);
        Files.writeString(project.resolve("src/main/image/app/config.yaml"), "providers: []\ntoken: " + token + "\n");

        assertThatThrownBy(() -> build(spec(Map.of()), cache, out))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining(
                        "src/main/image/app/config.yaml (/app/config.yaml):2: holds a GitHub token (ghp_****)")
                .message()
                .doesNotContain(token);

        try (Stream<Path> files = Files.list(out)) {
            assertThat(files).isEmpty();
        }
        assertThat(blobs(cache)).isEqualTo(blobsBefore);
        try (Stream<Path> files = Files.list(cache.resolve("tmp"))) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void aFileUnderThePlatformsMountsFailsTheBuildBeforeAnyLayerIsWritten() throws Exception {
        Path cache = tmp.resolve("cache");
        Path out = tmp.resolve("out");
        build(spec(Map.of()), cache, out);
        Set<Path> blobsBefore = blobs(cache);
        Path token = project.resolve("src/main/image/configs/.auth_token");
        Files.createDirectories(token.getParent());
        Files.writeString(token, "committed-by-mistake\n");

        assertThatThrownBy(() -> build(spec(Map.of()), cache, out))
                .isInstanceOf(ValidationException.class)
                .hasMessageStartingWith(token + ": ships /configs/.auth_token under /configs, which the provisioner"
                        + " mounts over the image at start; it is the workspace token's path")
                .message()
                .doesNotContain("committed-by-mistake");

        try (Stream<Path> files = Files.list(out)) {
            assertThat(files).isEmpty();
        }
        assertThat(blobs(cache)).isEqualTo(blobsBefore);
    }

    private static Set<Path> blobs(Path cache) throws IOException {
        try (Stream<Path> files = Files.list(cache.resolve("blobs/sha256"))) {
            return files.collect(Collectors.toSet());
        }
    }

    private BuildResult build(ImageSpec spec, Path cache, Path out) throws Exception {
        return build(spec, cache, out, "molecule-test/image:1");
    }

    private BuildResult build(ImageSpec spec, Path cache, Path out, String image) throws Exception {
        return new ImageBuilder(cache, log).build(spec, new TarTarget(image, out.resolve("image.tar")), out);
    }

    private ImageSpec spec(Map<String, String> buildArgs) throws Exception {
        return spec(buildArgs, List.of());
    }

    private ImageSpec spec(Map<String, String> buildArgs, List<PermissionRule> rules) throws Exception {
        return ImageSpec.builder()
                .addLayer(imageFiles(rules))
                .addLayer(extraFiles(buildArgs))
                .buildArgs(buildArgs)
                .creationTime(CREATED)
                .build();
    }

    private LayerSpec imageFiles(List<PermissionRule> rules) throws Exception {
        return FileLayers.scan(
                "image-files", project.resolve("src/main/image"), "/", List.of(), List.of(), rules, Map.of());
    }

    private LayerSpec extraFiles(Map<String, String> buildArgs) throws Exception {
        return FileLayers.scan(
                "extra", project.resolve("extra"), "/opt/extra", List.of(), List.of(), List.of(), buildArgs);
    }

    private static JsonNode config(BuildResult result) throws IOException {
        Map<String, String> files = TarEntries.texts(Path.of(result.output()));
        return JSON.readTree(files.get(result.imageId().substring(7) + ".json"));
    }
}
