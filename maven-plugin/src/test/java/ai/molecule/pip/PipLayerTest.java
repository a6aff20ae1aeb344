package ai.molecule.pip;

import static org.assertj.core.api.Assertions.assertThat;

import ai.molecule.core.UrlLogins;
import ai.molecule.image.PipLayer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipLayerTest {
    @TempDir
    Path temp;

    @Test
    void runtimeVersionReplacesAnyOtherRuntimeRequirement() {
        PipLayer layer = PipLayer.builder()
                .requirements(List.of("# tools", "requests==2.31.0  # http", "", "Molecule_AI.Workspace-Runtime>=0.9"))
                .requirement("pyyaml==6.0.1")
                .runtimeVersion("1.0.1")
                .build();

        assertThat(layer.requirementLines())
                .containsExactly("requests==2.31.0", "pyyaml==6.0.1", "molecule-ai-workspace-runtime==1.0.1");
    }

    @Test
    void architecturesMapToPipPlatformTags() {
        assertThat(PipLayer.platformsFor("amd64")).contains(PipLayer.DEFAULT_PLATFORMS);
        assertThat(PipLayer.platformsFor("arm64")).contains(List.of("manylinux2014_aarch64", "linux_aarch64", "any"));
        assertThat(PipLayer.platformsFor("s390x")).isEmpty();
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
    void credentialsAreRemovedFromUrls() {
        assertThat(UrlLogins.redact("Could not fetch https://user:pw@pypi.example.com/simple/x/"))
                .isEqualTo("Could not fetch https://***@pypi.example.com/simple/x/");
        assertThat(UrlLogins.redact("file:///opt/wheels")).isEqualTo("file:///opt/wheels");
    }
}
