package ai.molecule.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The plugin's packages form a one-way graph, the pipeline's stages from the top down: each
 * package imports only those below it, so a stage can be read, tested and run again (per platform,
 * per target) without what sits above it. docs/architecture.md names the same layers.
 */
@AnalyzeClasses(packages = "ai.molecule", importOptions = ImportOption.DoNotIncludeTests.class)
class PipelineLayeringTest {

    @ArchTest
    static final ArchRule stagesImportOnlyWhatLiesBelowThem = layeredArchitecture()
            .consideringOnlyDependenciesInLayers()
            .layer("Mojos")
            .definedBy("ai.molecule.maven..")
            .layer("Dev loop")
            .definedBy("ai.molecule.run..")
            .layer("Configuration")
            .definedBy("ai.molecule.config..")
            .layer("Pipeline")
            .definedBy("ai.molecule.build..")
            .layer("SBOM")
            .definedBy("ai.molecule.sbom..")
            .layer("Lock")
            .definedBy("ai.molecule.lock..")
            .layer("Validation")
            .definedBy("ai.molecule.validate..")
            .layer("Workspace assets")
            .definedBy("ai.molecule.workspace..")
            .layer("Root filesystem")
            .definedBy("ai.molecule.rootfs..")
            .layer("Debian")
            .definedBy("ai.molecule.debian..")
            .layer("pip")
            .definedBy("ai.molecule.pip..")
            .layer("npm")
            .definedBy("ai.molecule.npm..")
            .layer("Files")
            .definedBy("ai.molecule.files..")
            .layer("Image spec")
            .definedBy("ai.molecule.image..")
            .layer("Core")
            .definedBy("ai.molecule.core..")
            // The workspace contract (its own artifact, shared with the conformance gate) is data every layer may read.
            .layer("Workspace contract")
            .definedBy("ai.molecule.contract..")
            .whereLayer("Mojos")
            .mayNotBeAccessedByAnyLayer()
            .whereLayer("Dev loop")
            .mayOnlyBeAccessedByLayers("Mojos")
            .whereLayer("Configuration")
            .mayOnlyBeAccessedByLayers("Dev loop", "Mojos")
            .whereLayer("Pipeline")
            .mayOnlyBeAccessedByLayers("Dev loop", "Configuration", "Mojos")
            .whereLayer("SBOM")
            .mayOnlyBeAccessedByLayers("Pipeline")
            .whereLayer("Lock")
            .mayOnlyBeAccessedByLayers("Pipeline", "Mojos")
            .whereLayer("Validation")
            .mayOnlyBeAccessedByLayers("Dev loop", "Pipeline", "Configuration", "Mojos")
            .whereLayer("Workspace assets")
            .mayOnlyBeAccessedByLayers("Validation", "Pipeline", "Configuration", "Mojos")
            .whereLayer("Root filesystem")
            .mayOnlyBeAccessedByLayers("Pipeline")
            // The assembler reads Debian's control files; nothing else crosses between stages.
            .whereLayer("Debian")
            .mayOnlyBeAccessedByLayers("Root filesystem", "Lock", "Pipeline", "Configuration", "Mojos")
            .whereLayer("pip")
            .mayOnlyBeAccessedByLayers("Lock", "Pipeline")
            .whereLayer("npm")
            .mayOnlyBeAccessedByLayers("Lock", "Pipeline")
            .whereLayer("Files")
            .mayOnlyBeAccessedByLayers("Configuration")
            .whereLayer("Image spec")
            .mayOnlyBeAccessedByLayers(
                    "Debian",
                    "Root filesystem",
                    "pip",
                    "npm",
                    "Files",
                    "Workspace assets",
                    "Validation",
                    "Lock",
                    "Pipeline",
                    "Configuration",
                    "Mojos");

    @ArchTest
    static final ArchRule packagesHaveNoCycles =
            slices().matching("ai.molecule.(*)..").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule onlyTheMojosKnowMaven = noClasses()
            .that()
            .resideOutsideOfPackage("ai.molecule.maven..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("org.apache.maven..", "org.codehaus.plexus..")
            .because("the core runs without Maven, as jib-core does");
}
