package ai.molecule.sbom;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.cyclonedx.Version;
import org.cyclonedx.exception.GeneratorException;
import org.cyclonedx.generators.BomGeneratorFactory;
import org.cyclonedx.model.Bom;
import org.cyclonedx.model.Dependency;
import org.cyclonedx.model.ExternalReference;
import org.cyclonedx.model.Hash;
import org.cyclonedx.model.License;
import org.cyclonedx.model.LicenseChoice;
import org.cyclonedx.model.Metadata;
import org.cyclonedx.model.license.Expression;
import org.cyclonedx.model.metadata.ToolInformation;

/** CycloneDX 1.6 JSON through {@code cyclonedx-core-java}: the image as the subject, its packages as libraries. */
final class CycloneDx {
    static final Version VERSION = Version.VERSION_16;

    private CycloneDx() {}

    static byte[] json(Sbom sbom) {
        Bom bom = new Bom();
        bom.setSerialNumber("urn:uuid:" + sbom.serial());
        bom.setVersion(1);

        org.cyclonedx.model.Component image = new org.cyclonedx.model.Component();
        image.setType(org.cyclonedx.model.Component.Type.CONTAINER);
        image.setBomRef(sbom.imageId());
        image.setName(sbom.image());
        image.setVersion(sbom.imageId());
        org.cyclonedx.model.Component tool = new org.cyclonedx.model.Component();
        tool.setType(org.cyclonedx.model.Component.Type.APPLICATION);
        int dash = sbom.tool().lastIndexOf('-');
        tool.setName(dash > 0 ? sbom.tool().substring(0, dash) : sbom.tool());
        tool.setVersion(dash > 0 ? sbom.tool().substring(dash + 1) : null);
        ToolInformation tools = new ToolInformation();
        tools.setComponents(List.of(tool));
        Metadata metadata = new Metadata();
        metadata.setTimestamp(Date.from(sbom.created()));
        metadata.setToolChoice(tools);
        metadata.setComponent(image);
        bom.setMetadata(metadata);

        List<org.cyclonedx.model.Component> components = new ArrayList<>();
        Dependency contains = new Dependency(sbom.imageId());
        for (Component component : sbom.components()) {
            org.cyclonedx.model.Component library = new org.cyclonedx.model.Component();
            library.setType(org.cyclonedx.model.Component.Type.LIBRARY);
            String purl = component.purl();
            library.setBomRef(purl);
            library.setName(component.name());
            library.setVersion(component.version());
            library.setPurl(purl);
            List<Hash> hashes = new ArrayList<>();
            for (Component.Hash hash : component.hashes()) {
                hashes.add(new Hash(hash.algorithm(), hash.hex()));
            }
            library.setHashes(hashes);
            if (component.license() != null) {
                LicenseChoice licenses = new LicenseChoice();
                Optional<String> expression = Spdx.expression(component.license());
                if (expression.isPresent()) {
                    licenses.setExpression(new Expression(expression.get()));
                } else {
                    License named = new License();
                    named.setName(component.license());
                    licenses.addLicense(named);
                }
                library.setLicenses(licenses);
            }
            if (component.download() != null) {
                ExternalReference distribution = new ExternalReference();
                distribution.setType(ExternalReference.Type.DISTRIBUTION);
                distribution.setUrl(component.download());
                library.addExternalReference(distribution);
            }
            components.add(library);
            contains.addDependency(new Dependency(purl));
        }
        bom.setComponents(components);
        bom.setDependencies(List.of(contains));
        try {
            return BomGeneratorFactory.createJson(VERSION, bom).toJsonString().getBytes(StandardCharsets.UTF_8);
        } catch (GeneratorException e) {
            throw new IllegalStateException("CycloneDX document of " + sbom.image() + ": " + e.getMessage(), e);
        }
    }
}
