package ai.molecule.sbom;

import static org.assertj.core.api.Assertions.assertThat;

import ai.molecule.core.BuildLog;
import ai.molecule.core.LayerCache;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.cyclonedx.parsers.JsonParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spdx.jacksonstore.MultiFormatStore;
import org.spdx.library.model.v2.SpdxDocument;
import org.spdx.storage.simple.InMemSpdxStore;

class SbomTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String IMAGE_ID = "sha256:" + "ab".repeat(32);

    /** One package of each ecosystem, with the spellings that trip package URLs up. */
    private static Sbom sbom(String imageId) {
        return new Sbom(
                "molecule/claude-code:1.0.0",
                imageId,
                Instant.parse("2026-01-01T00:00:00Z"),
                "molecule-maven-plugin-0.1.0",
                List.of(
                        Component.npm(
                                "@anthropic-ai/claude-code",
                                "2.1.197",
                                "sha512-" + Base64.getEncoder().encodeToString(new byte[64]),
                                "SEE LICENSE IN README.md",
                                "https://registry.npmjs.org/@anthropic-ai/claude-code/-/claude-code-2.1.197.tgz"),
                        Component.deb(
                                        "bsdutils",
                                        "1:2.38.1-5+deb12u3",
                                        "amd64",
                                        "bookworm",
                                        "6c".repeat(32),
                                        "http://deb.debian.org/debian/pool/main/u/util-linux/bsdutils_2.38.1-5+deb12u3_amd64.deb")
                                .withLicense(
                                        "GPL-2.0-or-later AND (BSD-3-Clause OR GPL-2.0-only) AND LicenseRef-public-domain"),
                        Component.pypi(
                                        "molecule_ai_workspace_runtime",
                                        "1.0.0",
                                        "0f".repeat(32),
                                        "target/wheelhouse/molecule_ai_workspace_runtime-1.0.0-py3-none-any.whl")
                                .withLicense("MIT"),
                        Component.npm(
                                "left-pad",
                                "1.3.0",
                                "sha1-" + Base64.getEncoder().encodeToString(new byte[20]),
                                "WTFPL OR MIT",
                                "")));
    }

    @Test
    void packageUrlsFollowEachEcosystemsRules() {
        assertThat(sbom(IMAGE_ID).components())
                .extracting(Component::purl)
                .containsExactly(
                        "pkg:deb/debian/bsdutils@1%3A2.38.1-5%2Bdeb12u3?arch=amd64&distro=bookworm",
                        "pkg:npm/%40anthropic-ai/claude-code@2.1.197",
                        "pkg:npm/left-pad@1.3.0",
                        "pkg:pypi/molecule-ai-workspace-runtime@1.0.0");
        assertThat(Component.npm("x", "1", "sha512-" + Base64.getEncoder().encodeToString(new byte[64]), null, null)
                        .hashes())
                .containsExactly(new Component.Hash("SHA-512", "00".repeat(64)));
    }

    @Test
    void onlyExpressionsOfListedLicencesCountAsSpdxExpressions() {
        assertThat(Spdx.expression("MIT")).contains("MIT");
        assertThat(Spdx.expression("(Apache-2.0 OR MIT)")).contains("(Apache-2.0 OR MIT)");
        assertThat(Spdx.expression("GPL-2.0-or-later WITH Classpath-exception-2.0"))
                .isPresent();
        assertThat(Spdx.expression("SEE LICENSE IN README.md")).isEmpty();
        assertThat(Spdx.expression("MIT AND")).isEmpty();
        assertThat(Spdx.expression("No-Such-Licence-1.0")).isEmpty();
        assertThat(Spdx.expression("MIT AND LicenseRef-public-domain")).isPresent();
        assertThat(Spdx.expression("LicenseRef-")).isEmpty();
        assertThat(Spdx.expression("LicenseRef-a~b")).isEmpty();
        assertThat(Spdx.expression(null)).isEmpty();
    }

    @Test
    void licencesAndDownloadLocationsAppearWhereThePackagesStateThem(@TempDir Path dir) throws Exception {
        List<Path> files = sbom(IMAGE_ID).writeTo(dir);
        JsonNode cyclonedx = JSON.readTree(files.get(0).toFile()).path("components");
        // Sorted by package URL: deb, npm @anthropic-ai, npm left-pad, pypi.
        assertThat(cyclonedx
                        .get(0)
                        .path("externalReferences")
                        .get(0)
                        .path("url")
                        .asText())
                .endsWith("bsdutils_2.38.1-5+deb12u3_amd64.deb");
        assertThat(cyclonedx
                        .get(1)
                        .path("licenses")
                        .get(0)
                        .path("license")
                        .path("name")
                        .asText())
                .isEqualTo("SEE LICENSE IN README.md");
        assertThat(cyclonedx.get(2).path("licenses").get(0).path("expression").asText())
                .isEqualTo("WTFPL OR MIT");
        assertThat(cyclonedx.get(0).path("licenses").get(0).path("expression").asText())
                .isEqualTo("GPL-2.0-or-later AND (BSD-3-Clause OR GPL-2.0-only) AND LicenseRef-public-domain");
        assertThat(cyclonedx.get(3).path("licenses").get(0).path("expression").asText())
                .isEqualTo("MIT");
        assertThat(cyclonedx.get(3).has("externalReferences"))
                .as("a find-links path is no URL")
                .isFalse();
        JsonNode spdx = JSON.readTree(files.get(1).toFile()).path("packages");
        assertThat(spdx.get(1).path("downloadLocation").asText()).startsWith("http://deb.debian.org/");
        assertThat(spdx.get(1).path("licenseDeclared").asText())
                .isEqualTo("(GPL-2.0-or-later AND (BSD-3-Clause OR GPL-2.0-only) AND LicenseRef-public-domain)");
        assertThat(spdx.get(4).path("licenseDeclared").asText()).isEqualTo("MIT");
        assertThat(spdx.get(2).path("licenseDeclared").asText()).isEqualTo("NOASSERTION");
        assertThat(spdx.get(3).path("licenseDeclared").asText()).isEqualTo("(WTFPL OR MIT)");
        assertThat(spdx.get(4).path("downloadLocation").asText()).isEqualTo("NOASSERTION");
    }

    @Test
    void bothDocumentsAreValidAgainstTheOfficialSchemasAndNameEveryPackage(@TempDir Path dir) throws Exception {
        List<Path> files = sbom(IMAGE_ID).writeTo(dir);
        assertThat(files)
                .extracting(p -> p.getFileName().toString())
                .containsExactly("sbom.cdx.json", "sbom.spdx.json");

        assertThat(new JsonParser().validate(files.get(0).toFile(), CycloneDx.VERSION))
                .isEmpty();
        JsonNode cyclonedx = JSON.readTree(files.get(0).toFile());
        assertThat(cyclonedx.path("specVersion").asText()).isEqualTo("1.6");
        assertThat(cyclonedx.path("metadata").path("timestamp").asText()).startsWith("2026-01-01T00:00:00");
        assertThat(cyclonedx.path("metadata").path("component").path("name").asText())
                .isEqualTo("molecule/claude-code:1.0.0");
        assertThat(cyclonedx.path("components").findValuesAsText("purl")).hasSize(4);
        JsonNode deb = cyclonedx.path("components").get(0);
        assertThat(deb.path("hashes").get(0).path("alg").asText()).isEqualTo("SHA-256");
        assertThat(deb.path("hashes").get(0).path("content").asText()).isEqualTo("6c".repeat(32));

        ObjectNode wrongType = cyclonedx.deepCopy();
        ((ObjectNode) wrongType.path("components").get(0)).put("type", "no-such-type");
        assertThat(new JsonParser().validate(wrongType, CycloneDx.VERSION))
                .as("the check can fail")
                .isNotEmpty();

        JsonNode spdx = JSON.readTree(files.get(1).toFile());
        assertThat(spdxSchema().validate(spdx)).isEmpty();
        ObjectNode noId = spdx.deepCopy();
        ((ObjectNode) noId.path("packages").get(1)).remove("SPDXID");
        assertThat(spdxSchema().validate(noId)).as("the check can fail").isNotEmpty();
        assertThat(spdx.path("spdxVersion").asText()).isEqualTo("SPDX-2.3");
        assertThat(spdx.path("creationInfo").path("created").asText()).isEqualTo("2026-01-01T00:00:00Z");
        assertThat(spdx.path("packages").findValuesAsText("referenceLocator"))
                .contains(
                        "pkg:npm/%40anthropic-ai/claude-code@2.1.197", "pkg:pypi/molecule-ai-workspace-runtime@1.0.0");
        assertThat(spdx.path("packages").findValuesAsText("checksumValue")).contains("6c".repeat(32), "00".repeat(64));
        // SPDX's own library reads it back and finds nothing wrong with it.
        MultiFormatStore store = new MultiFormatStore(new InMemSpdxStore(), MultiFormatStore.Format.JSON_PRETTY);
        try (InputStream in = Files.newInputStream(files.get(1))) {
            SpdxDocument document = store.deSerialize(in, false);
            assertThat(document.verify()).isEmpty();
            assertThat(document.getDocumentDescribes()).hasSize(1);
            assertThat(document.getExtractedLicenseInfos()).singleElement().satisfies(extracted -> {
                assertThat(extracted.getLicenseId()).isEqualTo("LicenseRef-public-domain");
                assertThat(extracted.getExtractedText()).contains("/usr/share/doc/<package>/copyright");
            });
        }
    }

    @Test
    void licenceReferencesThatDifferInCaseOnlyAreOneExtractedLicence(@TempDir Path dir) throws Exception {
        Component a = Component.deb("a", "1", "amd64", "bookworm", "aa".repeat(32), "http://deb.debian.org/a.deb")
                .withLicense("LicenseRef-BSD-3-clause-GENERIC");
        Component b = Component.deb("b", "1", "amd64", "bookworm", "bb".repeat(32), "http://deb.debian.org/b.deb")
                .withLicense("MIT AND LicenseRef-BSD-3-clause-generic");
        List<Path> files = new Sbom("x:1", IMAGE_ID, Instant.EPOCH, "t", List.of(b, a)).writeTo(dir);

        MultiFormatStore store = new MultiFormatStore(new InMemSpdxStore(), MultiFormatStore.Format.JSON_PRETTY);
        try (InputStream in = Files.newInputStream(files.get(1))) {
            SpdxDocument document = store.deSerialize(in, false);
            assertThat(document.verify()).isEmpty();
            assertThat(document.getExtractedLicenseInfos())
                    .singleElement()
                    .satisfies(e -> assertThat(e.getLicenseId()).isEqualTo("LicenseRef-BSD-3-clause-GENERIC"));
        }
        assertThat(spdxSchema().validate(JSON.readTree(files.get(1).toFile()))).isEmpty();
    }

    @Test
    void theSameInputsGiveTheSameBytesAndAnotherImageAnotherIdentity(@TempDir Path dir) throws IOException {
        List<Path> first = sbom(IMAGE_ID).writeTo(dir.resolve("a"));
        List<Path> second = sbom(IMAGE_ID).writeTo(dir.resolve("b"));
        List<Path> other = sbom("sha256:" + "cd".repeat(32)).writeTo(dir.resolve("c"));
        for (int i = 0; i < 2; i++) {
            assertThat(Files.readAllBytes(second.get(i))).isEqualTo(Files.readAllBytes(first.get(i)));
            assertThat(Files.readString(other.get(i))).isNotEqualTo(Files.readString(first.get(i)));
        }
        assertThat(JSON.readTree(first.get(0).toFile()).path("serialNumber").asText())
                .isNotEqualTo(JSON.readTree(other.get(0).toFile())
                        .path("serialNumber")
                        .asText());
    }

    @Test
    void anUnchangedImageTakesItsDocumentsFromTheCache(@TempDir Path dir) throws IOException {
        LayerCache cache = new LayerCache(dir.resolve("cache"), BuildLog.SILENT);
        List<Path> first = sbom(IMAGE_ID).writeTo(dir.resolve("a"), cache);
        String key = sbom(IMAGE_ID).key();
        assertThat(cache.lookup("sbom-cdx-" + key)).isPresent();
        assertThat(cache.lookup("sbom-spdx-" + key)).isPresent();
        List<Path> second = sbom(IMAGE_ID).writeTo(dir.resolve("b"), cache);
        for (int i = 0; i < 2; i++) {
            assertThat(Files.readAllBytes(second.get(i))).isEqualTo(Files.readAllBytes(first.get(i)));
        }
        assertThat(sbom("sha256:" + "cd".repeat(32)).key()).isNotEqualTo(key);
    }

    @Test
    void discardRemovesAnEarlierBuildsDocuments(@TempDir Path dir) throws IOException {
        sbom(IMAGE_ID).writeTo(dir);
        Sbom.discard(dir);
        try (var left = Files.list(dir)) {
            assertThat(left).isEmpty();
        }
    }

    private static Schema spdxSchema() throws IOException {
        try (InputStream schema = SbomTest.class.getResourceAsStream("/resources/spdx-schema-v2.3.json")) {
            assertThat(schema).as("the SPDX 2.3 schema of org.spdx:tools-java").isNotNull();
            return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2019_09)
                    .getSchema(schema);
        }
    }
}
