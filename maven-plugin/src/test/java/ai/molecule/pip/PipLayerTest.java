package ai.molecule.pip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.molecule.core.InvalidConfigurationException;
import ai.molecule.core.UrlLogins;
import ai.molecule.image.PipLayer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipLayerTest {
    @TempDir
    Path temp;

    @Test
    void runtimeVersionReplacesAnyOtherRuntimeRequirement() throws Exception {
        Path file = Files.writeString(
                temp.resolve("requirements.txt"),
                "# tools\nrequests==2.31.0  # http\n\nMolecule_AI.Workspace-Runtime>=0.9\n");

        PipLayer layer = PipLayer.builder()
                .requirementsFile(file)
                .requirement("pyyaml==6.0.1")
                .runtimeVersion("1.0.1")
                .build();

        assertThat(layer.requirementLines())
                .containsExactly("requests==2.31.0", "pyyaml==6.0.1", "molecule-ai-workspace-runtime==1.0.1");
    }

    @Test
    void withoutRuntimeVersionRequirementsStayAsWritten() throws Exception {
        PipLayer layer = PipLayer.builder()
                .requirement("molecule-ai-workspace-runtime>=1.0")
                .build();

        assertThat(layer.requirementLines()).containsExactly("molecule-ai-workspace-runtime>=1.0");
        assertThat(layer.pythonVersion()).isNull();
        assertThat(layer.forPython("3.11").sitePackages()).isEqualTo("/usr/local/lib/python3.11/dist-packages");
        assertThat(layer.platforms()).containsExactly("manylinux2014_x86_64", "linux_x86_64", "any");
        assertThat(layer.interpreter()).isEqualTo("/usr/bin/python3");
    }

    @Test
    void theImagePythonFillsOnlyWhatTheLayerLeftOpen() {
        PipLayer open = PipLayer.builder().requirement("x").build();
        PipLayer pinned =
                PipLayer.builder().requirement("x").pythonVersion("3.12").build();

        assertThat(open.forPython("3.13").pythonVersion()).isEqualTo("3.13");
        assertThat(open.forPython("3.13").sitePackages()).isEqualTo("/usr/local/lib/python3.13/dist-packages");
        assertThat(pinned.forPython("3.13").pythonVersion()).isEqualTo("3.12");
        assertThat(pinned.forPython("3.13").sitePackages()).isEqualTo("/usr/local/lib/python3.12/dist-packages");
    }

    @Test
    void architecturesMapToPipPlatformTags() throws Exception {
        assertThat(PipLayer.platformsFor("amd64")).isEqualTo(PipLayer.DEFAULT_PLATFORMS);
        assertThat(PipLayer.platformsFor("arm64")).containsExactly("manylinux2014_aarch64", "linux_aarch64", "any");
        assertThatThrownBy(() -> PipLayer.platformsFor("s390x"))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageStartingWith("<architecture>")
                .hasMessageContaining("s390x");
    }

    @Test
    void includedRequirementsAreInlinedAndConstraintsMadeAbsoluteRelativeToTheirFile() throws Exception {
        Path sub = Files.createDirectories(temp.resolve("reqs/sub"));
        Files.writeString(sub.resolve("base.txt"), "pyyaml==6.0.1\nmolecule-ai-workspace-runtime==0.9\n");
        Files.writeString(sub.resolve("pins.txt"), "pyyaml<7\n");
        Path top = Files.writeString(
                temp.resolve("reqs/requirements.txt"),
                "-r sub/base.txt  # shared\n--constraint=sub/pins.txt\nrequests\n");

        PipLayer layer =
                PipLayer.builder().requirementsFile(top).runtimeVersion("1.0.1").build();

        assertThat(layer.requirementLines())
                .containsExactly(
                        "pyyaml==6.0.1",
                        "-c " + sub.resolve("pins.txt"),
                        "requests",
                        "molecule-ai-workspace-runtime==1.0.1");
    }

    @Test
    void missingIncludedFileNamesFileAndLine() throws Exception {
        Path top = Files.writeString(temp.resolve("requirements.txt"), "requests\n-r absent.txt\n");

        assertThatThrownBy(PipLayer.builder().requirementsFile(top).build()::requirementLines)
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageStartingWith(
                        "<pip><requirementsFile>: " + top + " line 2 names " + temp.resolve("absent.txt"))
                .hasMessageContaining("relative to the file that names them");
    }

    @Test
    void includeCycleIsRefused() throws Exception {
        Files.writeString(temp.resolve("a.txt"), "-r b.txt\n");
        Files.writeString(temp.resolve("b.txt"), "-r a.txt\n");

        assertThatThrownBy(PipLayer.builder()
                        .requirementsFile(temp.resolve("a.txt"))
                        .build()::requirementLines)
                .hasMessageContaining("b.txt line 1 includes " + temp.resolve("a.txt") + " again, a cycle");
    }

    @Test
    void missingRequirementsFileNamesTheElement() {
        PipLayer layer =
                PipLayer.builder().requirementsFile(temp.resolve("absent.txt")).build();

        assertThatThrownBy(layer::requirementLines)
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageStartingWith("<pip><requirementsFile>")
                .hasMessageContaining("absent.txt");
    }

    @Test
    void credentialsAreRemovedFromUrls() {
        assertThat(UrlLogins.redact("Could not fetch https://user:pw@pypi.example.com/simple/x/"))
                .isEqualTo("Could not fetch https://***@pypi.example.com/simple/x/");
        assertThat(UrlLogins.redact("file:///opt/wheels")).isEqualTo("file:///opt/wheels");
    }
}
