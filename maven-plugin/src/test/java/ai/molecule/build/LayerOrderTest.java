package ai.molecule.build;

import static org.assertj.core.api.Assertions.assertThat;

import ai.molecule.core.LayerEntry;
import ai.molecule.core.LayerSpec;
import ai.molecule.image.DebianSpec;
import ai.molecule.image.ImageSpec;
import ai.molecule.image.LayerKind;
import ai.molecule.image.NpmLayer;
import ai.molecule.image.OsPackages;
import ai.molecule.image.PipLayer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** {@link LayerKind} is the one statement of the layer order: the steps, docs/build-image.md and the help follow it. */
class LayerOrderTest {
    private static final List<String> ORDER =
            Arrays.stream(LayerKind.values()).map(LayerKind::label).toList();

    @Test
    void stepsRunInLayerKindOrder() {
        LayerSpec files =
                new LayerSpec("image-files", List.of(LayerEntry.directory("/app", 0755, 0, 0)), new TreeMap<>());
        ImageSpec spec = ImageSpec.builder()
                .addLayer(files)
                .workspace(true)
                .pip(PipLayer.builder().requirement("x").build())
                .npm(NpmLayer.of("semver"))
                .osPackages(new OsPackages(DebianSpec.of("bookworm", List.of("bash")), List.of(), List.of(), List.of()))
                .lockFile(Path.of("molecule.lock"))
                .build();

        assertThat(LayerSteps.of(spec)).extracting(LayerStep::kind).containsExactly(LayerKind.values());
    }

    @Test
    void theBuildImagePageStatesTheLayerOrder() throws Exception {
        String page = Files.readString(Path.of("../docs/build-image.md"));

        assertThat(page).contains("Layer order, bottom first: " + String.join(" → ", ORDER));
    }

    @Test
    void helpOfBuildImageListsTheLayersInOrder() throws Exception {
        String help = Files.readString(
                Path.of("target/classes/META-INF/maven/ai.molecule/molecule-maven-plugin/plugin-help.xml"));
        String description = help.substring(help.indexOf("<goal>build-image</goal>"));
        description = description.substring(0, description.indexOf("</description>"));

        int previous = -1;
        for (String label : ORDER) {
            int at = description.indexOf(label + " (");
            assertThat(at)
                    .as("'" + label + " (' after the layer before it in: " + description)
                    .isGreaterThan(previous);
            previous = at;
        }
    }
}
