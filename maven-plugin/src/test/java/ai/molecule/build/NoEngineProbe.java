package ai.molecule.build;

import ai.molecule.core.BuildLog;
import ai.molecule.core.MoleculeException;
import ai.molecule.files.FileLayers;
import ai.molecule.image.ImageSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Run by {@link NoEngineIT} in a child JVM whose environment points DOCKER_HOST at a socket that
 * does not exist: builds to the docker target and writes the failure message to a file.
 *
 * <p>Arguments: work directory, image name. Exit 0 when the build failed with a {@link
 * MoleculeException} (message in {@code <work>/message.txt}), 1 when it unexpectedly succeeded.
 */
public final class NoEngineProbe {
    private NoEngineProbe() {}

    public static void main(String[] args) throws Exception {
        Path work = Path.of(args[0]);
        Path files = work.resolve("files");
        Files.createDirectories(files);
        Files.writeString(files.resolve("hello.txt"), "hello\n", StandardCharsets.UTF_8);
        ImageSpec spec = ImageSpec.builder()
                .addLayer(FileLayers.scan("files", files, "/opt", List.of(), List.of(), List.of(), Map.of()))
                .build();
        try {
            new ImageBuilder(work.resolve("cache"), BuildLog.SILENT)
                    .build(spec, new DockerTarget(args[1]), work.resolve("report"));
        } catch (MoleculeException e) {
            Files.writeString(work.resolve("message.txt"), e.getMessage(), StandardCharsets.UTF_8);
            return;
        }
        System.err.println("the build succeeded although DOCKER_HOST=" + System.getenv("DOCKER_HOST"));
        System.exit(1);
    }
}
