package ai.molecule.sbom;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.spdx.core.InvalidSPDXAnalysisException;
import org.spdx.jacksonstore.MultiFormatStore;
import org.spdx.library.LicenseInfoFactory;
import org.spdx.library.ModelCopyManager;
import org.spdx.library.SpdxModelFactory;
import org.spdx.library.model.v2.ReferenceType;
import org.spdx.library.model.v2.SpdxConstantsCompatV2;
import org.spdx.library.model.v2.SpdxDocument;
import org.spdx.library.model.v2.SpdxModelFactoryCompatV2;
import org.spdx.library.model.v2.SpdxPackage;
import org.spdx.library.model.v2.SpdxVerificationHelper;
import org.spdx.library.model.v2.enumerations.ChecksumAlgorithm;
import org.spdx.library.model.v2.enumerations.ReferenceCategory;
import org.spdx.library.model.v2.enumerations.RelationshipType;
import org.spdx.library.model.v2.license.AnyLicenseInfo;
import org.spdx.library.model.v2.license.ExtractedLicenseInfo;
import org.spdx.library.model.v2.license.SpdxNoAssertionLicense;
import org.spdx.storage.simple.InMemSpdxStore;

/**
 * SPDX 2.3 JSON through SPDX's own {@code java-spdx-library} and {@code spdx-jackson-store}: the image
 * is the package the document describes, and it contains one package per component, each with its
 * package URL, checksums, download location where known and the licence it declares where that
 * is an SPDX expression ({@code NOASSERTION} otherwise); each {@code LicenseRef-} the expressions use
 * is listed among the document's extracted licences.
 */
final class Spdx {
    static final String VERSION = "SPDX-2.3";
    static final String LICENSE_REF = "LicenseRef-";
    /** What a {@code LicenseRef-} stands for; the package's own files carry the licence's text. */
    private static final String REFERENCE_TEXT = "A licence without an SPDX id, named as the package names it."
            + " Its text is in the package's own licence file: for a Debian package,"
            + " /usr/share/doc/<package>/copyright in the image.";

    private static final DateTimeFormatter CREATED = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'");

    static {
        // The SPDX licence list from the library's jar, never from spdx.org: builds reach no service for it.
        System.setProperty("org.spdx.useJARLicenseInfoOnly", "true");
        SpdxModelFactory.init();
    }

    private Spdx() {}

    /**
     * {@code declared} when it is an SPDX license expression of listed licences and exceptions and
     * {@code LicenseRef-} ids ({@code MIT}, {@code Apache-2.0 OR MIT}, {@code GPL-2.0-only AND
     * LicenseRef-public-domain}); empty for anything else ({@code SEE LICENSE IN README.md}), which
     * the documents carry as a name (CycloneDX) or not at all (SPDX: NOASSERTION).
     */
    static Optional<String> expression(String declared) {
        if (declared == null || declared.isBlank()) {
            return Optional.empty();
        }
        // Expected next: a licence id, an exception id (after WITH), or an operator.
        String expect = "licence";
        for (String token :
                declared.replace("(", " ( ").replace(")", " ) ").trim().split("\\s+")) {
            if (token.equals("(") || token.equals(")")) {
                continue;
            }
            String id = token.endsWith("+") ? token.substring(0, token.length() - 1) : token;
            boolean ok = switch (expect) {
                case "licence" -> LicenseInfoFactory.isSpdxListedLicenseId(id) || isReference(token);
                case "exception" -> LicenseInfoFactory.isSpdxListedExceptionId(token);
                default -> token.equals("AND") || token.equals("OR") || token.equals("WITH");
            };
            if (!ok) {
                return Optional.empty();
            }
            expect = switch (expect) {
                case "licence", "exception" -> "operator";
                default -> token.equals("WITH") ? "exception" : "licence";
            };
        }
        return expect.equals("operator") ? Optional.of(declared.trim()) : Optional.empty();
    }

    /** A licence the document defines itself: {@code LicenseRef-public-domain}. */
    private static boolean isReference(String token) {
        return token.startsWith(LICENSE_REF)
                && token.substring(LICENSE_REF.length()).matches("[A-Za-z0-9.-]+");
    }

    /** SPDX accepts only URLs on a host name with a top-level domain (no IP address, no bare host). */
    private static String downloadLocation(String url) {
        return url != null && SpdxVerificationHelper.verifyDownloadLocation(url) == null ? url : "NOASSERTION";
    }

    static synchronized byte[] json(Sbom sbom) {
        try {
            String namespace = "urn:uuid:" + sbom.serial();
            MultiFormatStore store = new MultiFormatStore(new InMemSpdxStore(), MultiFormatStore.Format.JSON_PRETTY);
            ModelCopyManager copies = new ModelCopyManager();
            SpdxDocument document = SpdxModelFactoryCompatV2.createSpdxDocumentV2(store, namespace, copies);
            document.setSpecVersion(VERSION);
            document.setName(sbom.image());
            document.setCreationInfo(document.createCreationInfo(
                    List.of("Tool: " + sbom.tool()),
                    CREATED.format(
                            sbom.created().truncatedTo(ChronoUnit.SECONDS).atOffset(ZoneOffset.UTC))));
            SpdxNoAssertionLicense noAssertion = new SpdxNoAssertionLicense(store, namespace);
            SpdxPackage image = document.createPackage(
                            SpdxConstantsCompatV2.SPDX_ELEMENT_REF_PRENUM + "Image",
                            sbom.image(),
                            noAssertion,
                            "NOASSERTION",
                            noAssertion)
                    .setVersionInfo(sbom.imageId())
                    .setDownloadLocation("NOASSERTION")
                    .setFilesAnalyzed(false)
                    .setPrimaryPurpose(org.spdx.library.model.v2.enumerations.Purpose.CONTAINER)
                    .build();
            document.getDocumentDescribes().add(image);
            for (String reference : references(sbom)) {
                ExtractedLicenseInfo extracted = new ExtractedLicenseInfo(store, namespace, reference, copies, true);
                extracted.setName(reference.substring(LICENSE_REF.length()));
                extracted.setExtractedText(REFERENCE_TEXT);
                document.addExtractedLicenseInfos(extracted);
            }
            ReferenceType purlType =
                    new ReferenceType(SpdxConstantsCompatV2.SPDX_LISTED_REFERENCE_TYPES_PREFIX + "purl");
            int number = 0;
            for (Component component : sbom.components()) {
                number++;
                AnyLicenseInfo declared = noAssertion;
                Optional<String> expression = expression(component.license());
                if (expression.isPresent()) {
                    declared = LicenseInfoFactory.parseSPDXLicenseStringCompatV2(
                            expression.get(), store, namespace, copies);
                }
                SpdxPackage.SpdxPackageBuilder builder = document.createPackage(
                                SpdxConstantsCompatV2.SPDX_ELEMENT_REF_PRENUM + component.type() + "-" + number,
                                component.name(),
                                noAssertion,
                                "NOASSERTION",
                                declared)
                        .setVersionInfo(component.version())
                        .setDownloadLocation(downloadLocation(component.download()))
                        .setFilesAnalyzed(false)
                        .addExternalRef(document.createExternalRef(
                                ReferenceCategory.PACKAGE_MANAGER, purlType, component.purl(), null));
                for (Component.Hash hash : component.hashes()) {
                    builder.addChecksum(document.createChecksum(algorithm(hash.algorithm()), hash.hex()));
                }
                SpdxPackage spdxPackage = builder.build();
                image.addRelationship(document.createRelationship(spdxPackage, RelationshipType.CONTAINS, null));
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            store.serialize(out, document);
            return out.toByteArray();
        } catch (InvalidSPDXAnalysisException | IOException e) {
            throw new IllegalStateException("SPDX document of " + sbom.image() + ": " + e.getMessage(), e);
        }
    }

    /**
     * The {@code LicenseRef-} ids the components' licences use, sorted; ids that differ in case only
     * are one (the library's store knows them so), spelt as the first component by package URL does.
     */
    private static Set<String> references(Sbom sbom) {
        Set<String> references = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        for (Component component : sbom.components()) {
            if (expression(component.license()).isPresent()) {
                for (String token :
                        component.license().replaceAll("[()]", " ").trim().split("\\s+")) {
                    if (isReference(token)) {
                        references.add(token);
                    }
                }
            }
        }
        return references;
    }

    private static ChecksumAlgorithm algorithm(String name) {
        return switch (name) {
            case "SHA-1" -> ChecksumAlgorithm.SHA1;
            case "SHA-256" -> ChecksumAlgorithm.SHA256;
            case "SHA-384" -> ChecksumAlgorithm.SHA384;
            case "SHA-512" -> ChecksumAlgorithm.SHA512;
            default -> throw new IllegalArgumentException("no SPDX checksum algorithm for " + name);
        };
    }
}
