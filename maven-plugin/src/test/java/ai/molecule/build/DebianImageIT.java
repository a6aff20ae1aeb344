package ai.molecule.build;

import static ai.molecule.build.EngineSupport.docker;
import static org.assertj.core.api.Assertions.assertThat;

import ai.molecule.core.LayerSpec;
import ai.molecule.files.FileLayers;
import ai.molecule.files.PermissionRule;
import ai.molecule.image.Account;
import ai.molecule.image.DebianSpec;
import ai.molecule.image.Group;
import ai.molecule.image.ImageSpec;
import ai.molecule.image.OsPackages;
import ai.molecule.lock.LockRequest;
import ai.molecule.lock.MoleculeLock;
import ai.molecule.rootfs.RootfsAssembler;
import ai.molecule.sbom.Sbom;
import ai.molecule.testing.RecordingLog;
import ai.molecule.testing.TestCaches;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import org.cyclonedx.Version;
import org.cyclonedx.parsers.JsonParser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.spdx.jacksonstore.MultiFormatStore;
import org.spdx.library.model.v2.SpdxDocument;
import org.spdx.library.model.v2.license.ExtractedLicenseInfo;
import org.spdx.storage.simple.InMemSpdxStore;

/**
 * The claude-code package set from Debian bookworm, resolved, locked, verified, assembled without a
 * daemon, and then proven tool by tool in a container of the real engine.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public class DebianImageIT {
    /** The claude-code example's Debian request. */
    public static final List<String> CLAUDE_CODE_PACKAGES = List.of(
            "curl",
            "gosu",
            "nodejs",
            "npm",
            "ca-certificates",
            "git",
            "sudo",
            "util-linux",
            "docker.io",
            "gh",
            "python3",
            "python3-pip");

    private static final Instant CREATED = Instant.parse("2026-01-01T00:00:00Z");
    private static final Path CACHE = TestCaches.layers();

    private final EngineSupport.Images images = new EngineSupport.Images();
    private final RecordingLog log = new RecordingLog();
    private LocalHttpsServer https;
    private String container;
    private BuildResult built;
    private MoleculeLock lock;
    private Path out;

    @BeforeAll
    void buildAndStart(@TempDir Path dir) throws Exception {
        EngineSupport.requireEngine();
        https = LocalHttpsServer.start(Files.createDirectories(dir.resolve("tls")), "hello over tls\n");
        Path sudoers = Files.createDirectories(dir.resolve("image/etc/sudoers.d"));
        Files.writeString(sudoers.resolve("agent-t4"), "agent ALL=(ALL) NOPASSWD:ALL\n");
        LayerSpec files = FileLayers.scan(
                "image-files",
                dir.resolve("image"),
                "/",
                List.of(),
                List.of(),
                List.of(new PermissionRule(
                        "/etc/sudoers.d/*", OptionalInt.of(0440), OptionalInt.of(0), OptionalInt.of(0))),
                Map.of());
        OsPackages os = claudeCodePackages(List.of(https.caCertificate()));
        ImageSpec spec = ImageSpec.builder()
                .osPackages(os)
                .lockFile(dir.resolve(MoleculeLock.FILE_NAME))
                .addLayer(files)
                .creationTime(CREATED)
                .build();
        ImageBuilder builder = new ImageBuilder(CACHE, log);
        lock = builder.lock(spec, RegistryAccess.ANONYMOUS, dir.resolve("out"));
        lock.write(spec.lockFile());
        String image = images.unique("debian");
        out = dir.resolve("out");
        built = builder.build(spec, new DockerTarget(image), out);
        // The build's own log is the measurement record of this run (sizes, cache hits, times).
        log.messages().forEach(line -> System.out.println("[build] " + line));
        container = "molecule-it-debian-" + EngineSupport.randomHex(4);
        docker("run", "-d", "--name", container, "--network", "host", "--entrypoint", "sleep", image, "infinity")
                .ok();
    }

    /** The claude-code set from bookworm with uid 1000 {@code agent} in group {@code docker}. */
    static OsPackages claudeCodePackages(List<Path> caCertificates) {
        return new OsPackages(
                DebianSpec.of("bookworm", CLAUDE_CODE_PACKAGES),
                List.of(new Account("agent", 1000, 1000, "/home/agent", "/bin/bash", List.of("docker"))),
                List.of(new Group("docker", 999)),
                caCertificates);
    }

    @AfterAll
    void stop() {
        if (container != null) {
            docker("rm", "-f", container);
        }
        if (https != null) {
            https.close();
        }
        images.removeAll();
    }

    @Test
    void lockNamesTheWholeClosureAndTheReportListsItAsSbom() {
        assertThat(lock.debian().packages())
                .extracting(p -> p.name())
                .contains("bash", "dash", "libc6", "sudo", "python3.11");
        assertThat(built.sbom()).hasSameSizeAs(lock.debian().packages());
        assertThat(built.sbom()).allSatisfy(c -> assertThat(c.sha256()).matches("[0-9a-f]{64}"));
    }

    @Test
    void thePackagesLieInBoundedLayersBySourceWithTheSystemLayerOnTop() {
        List<String> names =
                built.layers().stream().map(BuildResult.LayerReport::name).toList();
        log.messages().stream().filter(line -> line.startsWith("Layer ")).forEach(System.out::println);

        assertThat(names).startsWith("debian-containerd", "debian-docker.io");
        assertThat(names).contains("debian-git", "debian-perl", "debian-rest-1", "debian-rest-2", "debian-rest-3");
        assertThat(names).endsWith(RootfsAssembler.SYSTEM_LAYER, "image-files");
        assertThat(names.stream().filter(name -> name.startsWith("debian-")))
                .as("Debian layers, at most ten")
                .hasSizeBetween(5, 10);
    }

    @Test
    void aSmallerTemplateSharesTheOverlapAndAnAddedPackageChangesOneLayerAndTheSystemLayer(@TempDir Path dir)
            throws Exception {
        OsPackages small = new OsPackages(
                DebianSpec.of("bookworm", List.of("curl", "git", "sudo", "python3")),
                List.of(new Account("agent", 1000, 1000, "/home/agent", "/bin/bash", List.of())),
                List.of(),
                List.of());
        RecordingLog smallLog = new RecordingLog();
        // A cache of this test's own that already holds the downloaded .debs (hard links, so beside
        // the shared one in target/), so both builds below assemble whatever an earlier run kept.
        Path cache = CACHE.resolveSibling("debian-it-small-cache");
        if (Files.exists(cache)) {
            try (java.util.stream.Stream<Path> old = Files.walk(cache)) {
                for (Path path : (Iterable<Path>) old.sorted(java.util.Comparator.reverseOrder())::iterator) {
                    Files.delete(path);
                }
            }
        }
        for (String part : List.of("blobs/sha256", "verified")) {
            Path from = CACHE.resolve(part);
            Path to = Files.createDirectories(cache.resolve(part));
            try (java.util.stream.Stream<Path> files = Files.list(from)) {
                for (Path file : (Iterable<Path>) files::iterator) {
                    Files.createLink(to.resolve(file.getFileName()), file);
                }
            }
        }
        ImageBuilder builder = new ImageBuilder(cache, smallLog);
        ImageSpec smallSpec = ImageSpec.builder()
                .osPackages(small)
                .lockFile(dir.resolve("small.lock"))
                .creationTime(CREATED)
                .build();
        MoleculeLock smallLock = builder.lock(smallSpec, RegistryAccess.ANONYMOUS, dir.resolve("work"));
        smallLock.write(smallSpec.lockFile());
        Map<String, String> smaller = layerDigests(
                builder.build(smallSpec, new TarTarget("small:1", dir.resolve("small.tar")), dir.resolve("small")));

        OsPackages withJq = new OsPackages(
                DebianSpec.of("bookworm", List.of("curl", "git", "sudo", "python3", "jq")),
                small.accounts(),
                List.of(),
                List.of());
        ImageSpec jqSpec = ImageSpec.builder()
                .osPackages(withJq)
                .lockFile(dir.resolve("jq.lock"))
                .creationTime(CREATED)
                .build();
        builder.lock(jqSpec, RegistryAccess.ANONYMOUS, dir.resolve("work"), smallLock, LockRequest.KEEP)
                .write(jqSpec.lockFile());
        Map<String, String> added =
                layerDigests(builder.build(jqSpec, new TarTarget("small:2", dir.resolve("jq.tar")), dir.resolve("jq")));

        smallLog.messages().stream()
                .filter(line -> line.startsWith("Assembled") || line.startsWith("Layer "))
                .forEach(line -> System.out.println("[small, then with jq] " + line));
        List<String> assemblies = smallLog.messages().stream()
                .filter(line -> line.startsWith("Assembled"))
                .toList();
        java.util.regex.Matcher counts = java.util.regex.Pattern.compile(
                        "Assembled (\\d+) packages \\((\\d+) taken from cached layers\\).*")
                .matcher(assemblies.get(assemblies.size() - 1));
        assertThat(counts.matches()).as(assemblies.get(assemblies.size() - 1)).isTrue();
        assertThat(Integer.parseInt(counts.group(2)))
                .as("adding jq unpacks only jq, libjq1 and libonig5: the rest of their layer comes from"
                        + " the version of it written before, the other layers' packages from those layers")
                .isEqualTo(Integer.parseInt(counts.group(1)) - 3);
        Map<String, String> claudeCode = layerDigests(built);
        assertThat(smaller).containsKeys("debian-git", "debian-perl");
        for (String shared : List.of("debian-git", "debian-perl")) {
            assertThat(smaller.get(shared))
                    .as(shared + ": same packages, same layer as the claude-code set's")
                    .isEqualTo(claudeCode.get(shared));
        }
        List<String> changed = added.keySet().stream()
                .filter(name -> !added.get(name).equals(smaller.get(name)))
                .toList();
        assertThat(added.keySet()).isEqualTo(smaller.keySet());
        assertThat(changed)
                .as("jq, libjq1 and libonig5 (sources jq and libonig) go in one bucket")
                .containsExactly("debian-rest-1", RootfsAssembler.SYSTEM_LAYER);
    }

    private static Map<String, String> layerDigests(BuildResult result) {
        Map<String, String> digests = new java.util.LinkedHashMap<>();
        result.layers().forEach(layer -> digests.put(layer.name(), layer.diffId()));
        return digests;
    }

    @Test
    void theSbomsStateTheLicencesTheCopyrightFilesState() throws Exception {
        Map<String, String> licences = new HashMap<>();
        built.sbom().forEach(c -> licences.put(c.name(), c.license()));
        // DEP-5 names mapped to SPDX ids; a name SPDX lacks as a LicenseRef-; a free-text file states none.
        assertThat(licences)
                .containsEntry("ca-certificates", "GPL-2.0-or-later AND MPL-2.0")
                .containsEntry("dash", "BSD-3-Clause AND LicenseRef-public-domain AND GPL-2.0-or-later")
                .containsEntry("tzdata", "LicenseRef-public-domain")
                .containsEntry("libc6", null);
        assertThat(licences.get("libstdc++6"))
                .as("its doc directory links to gcc-12-base's, which is free text")
                .isNull();
        long stated = licences.values().stream().filter(Objects::nonNull).count();
        assertThat(stated).isGreaterThan(licences.size() * 9 / 10);
        System.out.println("[sbom] " + stated + " of " + licences.size() + " Debian packages state a licence");

        Path cyclonedx = out.resolve(Sbom.CYCLONEDX_FILE);
        assertThat(new JsonParser().validate(cyclonedx.toFile(), Version.VERSION_16))
                .isEmpty();
        MultiFormatStore store = new MultiFormatStore(new InMemSpdxStore(), MultiFormatStore.Format.JSON_PRETTY);
        try (InputStream in = Files.newInputStream(out.resolve(Sbom.SPDX_FILE))) {
            SpdxDocument document = store.deSerialize(in, false);
            assertThat(document.verify()).isEmpty();
            assertThat(document.getExtractedLicenseInfos())
                    .extracting(ExtractedLicenseInfo::getLicenseId)
                    .contains("LicenseRef-public-domain");
        }
        JsonNode spdx = new ObjectMapper().readTree(out.resolve(Sbom.SPDX_FILE).toFile());
        long declared = 0;
        for (JsonNode p : spdx.path("packages")) {
            declared += p.path("licenseDeclared").asText().equals("NOASSERTION") ? 0 : 1;
        }
        assertThat(declared).as("every stated licence is an SPDX expression").isEqualTo(stated);
    }

    @Test
    void shellsAndCoreToolsRun() {
        assertThat(asAgent("sh", "-c", "echo ok")).isEqualTo("ok\n");
        assertThat(asAgent("bash", "--version")).startsWith("GNU bash, version 5.2");
        assertThat(asAgent("awk", "BEGIN{print 1+1}")).isEqualTo("2\n");
        assertThat(asAgent("readlink", "-f", "/bin/sh")).isEqualTo("/usr/bin/dash\n");
    }

    @Test
    void agentIsUid1000InTheDockerGroupAndSudoWorksWithoutPassword() {
        assertThat(asAgent("id")).startsWith("uid=1000(agent) gid=1000(agent)").contains("(docker)");
        assertThat(asAgent("sudo", "-n", "id", "-u")).isEqualTo("0\n");
        assertThat(asAgent("stat", "-c", "%a %U", "/usr/bin/sudo")).isEqualTo("4755 root\n");
        assertThat(asAgent("stat", "-c", "%a", "/tmp")).isEqualTo("1777\n");
        assertThat(asRoot("gosu", "agent", "id", "-un")).isEqualTo("agent\n");
    }

    @Test
    void hostReachToolsAreInstalled() {
        assertThat(asAgent("nsenter", "--version")).contains("util-linux");
        assertThat(asAgent("docker", "--version")).startsWith("Docker version");
        assertThat(asAgent("gh", "--version")).startsWith("gh version");
        assertThat(asAgent("git", "--version")).startsWith("git version");
    }

    @Test
    void curlTrustsTheDebianBundleWithTheAddedCa() {
        assertThat(asAgent("curl", "-sS", "https://127.0.0.1:" + https.port() + "/"))
                .isEqualTo("hello over tls\n");
    }

    @Test
    void nodeNpmAndPythonRun() {
        assertThat(asAgent("node", "-e", "console.log(1+1)")).isEqualTo("2\n");
        assertThat(asAgent("npm", "--version")).matches("\\d+\\.\\d+\\.\\d+\\n");
        assertThat(asAgent("python3", "-c", "import ssl, sqlite3; print(ssl.OPENSSL_VERSION.split()[0])"))
                .isEqualTo("OpenSSL\n");
    }

    @Test
    void dpkgAndAptSeeExactlyWhatWasInstalledAndCanAddMore() {
        assertThat(asAgent("dpkg-query", "-W", "-f", "${Status}", "sudo")).isEqualTo("install ok installed");
        assertThat(asAgent("sh", "-c", "dpkg-query -W | wc -l").strip())
                .isEqualTo(String.valueOf(lock.debian().packages().size()));
        asRoot("apt-get", "update", "-qq");
        asRoot("apt-get", "install", "-y", "-qq", "--no-install-recommends", "jq");
        assertThat(asAgent("jq", "--version")).startsWith("jq-1.6");
    }

    private String asAgent(String... command) {
        return exec("1000", command);
    }

    private String asRoot(String... command) {
        return exec("0", command);
    }

    private String exec(String user, String... command) {
        String[] args = new String[command.length + 4];
        args[0] = "exec";
        args[1] = "-u";
        args[2] = user;
        args[3] = container;
        System.arraycopy(command, 0, args, 4, command.length);
        return docker(args).ok();
    }
}
