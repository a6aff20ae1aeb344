package ai.molecule.conformance;

import ai.molecule.build.DockerTarget;
import ai.molecule.build.ImageBuilder;
import ai.molecule.build.RegistryAccess;
import ai.molecule.core.BuildLog;
import ai.molecule.core.LayerEntry;
import ai.molecule.core.LayerSpec;
import ai.molecule.image.DebianSpec;
import ai.molecule.image.ImageSpec;
import ai.molecule.image.OsPackages;
import ai.molecule.lock.MoleculeLock;
import ai.molecule.workspace.WorkspaceAssets;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Builds bookworm workspace images with the plugin's {@link ImageBuilder} (docker target): the good
 * one and variants whose workspace layer breaks one part of the contract. The Debian layer comes
 * from the shared layer cache and each variant is first tagged as the good image, so a variant only
 * loads its own workspace layer.
 */
final class TestImages {
    static final String REPOSITORY = "molecule-conformance-it/";
    /** Under target/, so repeated runs reuse the Debian downloads and nothing lands in ~/.cache. */
    private static final Path CACHE = Path.of("target", "layer-cache").toAbsolutePath();

    private final Path workDir;
    private final ImageBuilder builder;
    /** The contract's OS packages (gh is optional and left out to keep the image small). */
    private final OsPackages os;

    private final List<String> built = new ArrayList<>();

    TestImages(Path workDir) throws Exception {
        this.workDir = workDir;
        this.builder = new ImageBuilder(CACHE, BuildLog.SILENT);
        this.os = new OsPackages(
                DebianSpec.of("bookworm", WorkspaceAssets.PACKAGES),
                List.of(WorkspaceAssets.AGENT),
                List.of(WorkspaceAssets.DOCKER),
                List.of());
        builder.lock(spec(layer -> layer), RegistryAccess.ANONYMOUS, workDir.resolve("lock"))
                .write(lockFile());
    }

    /** Builds {@code molecule-conformance-it/<variant>:test} with the workspace layer's entries edited. */
    String build(String variant, UnaryOperator<List<LayerEntry>> edit) throws Exception {
        String image = REPOSITORY + variant + ":test";
        if (!built.isEmpty()) {
            LocalEngine.client()
                    .tagImageCmd(built.get(0), REPOSITORY + variant, "test")
                    .exec();
        }
        built.add(image);
        builder.build(spec(edit), new DockerTarget(image), workDir.resolve(variant));
        return image;
    }

    void removeAll() {
        for (String image : built) {
            LocalEngine.client().removeImageCmd(image).withForce(true).exec();
        }
        built.clear();
    }

    /** The entries with {@code path} replaced by a file holding {@code text} after {@code edit}. */
    UnaryOperator<List<LayerEntry>> editScript(String path, UnaryOperator<String> edit) {
        return entries -> entries.stream()
                .map(entry -> {
                    if (!entry.path().equals(path)) {
                        return entry;
                    }
                    try {
                        String original = Files.readString(entry.source());
                        String changed = edit.apply(original);
                        if (changed.equals(original)) {
                            throw new IllegalStateException("the edit of " + path + " changed nothing; the asset"
                                    + " no longer has the line this variant removes");
                        }
                        Path file = Files.createTempFile(workDir, "edited-", ".sh");
                        Files.writeString(file, changed);
                        return new LayerEntry(path, entry.type(), file, null, entry.mode(), entry.uid(), entry.gid());
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                })
                .toList();
    }

    static UnaryOperator<List<LayerEntry>> without(String path) {
        return entries -> entries.stream().filter(e -> !e.path().equals(path)).toList();
    }

    static UnaryOperator<List<LayerEntry>> withMode(String path, int mode) {
        return entries -> entries.stream()
                .map(e -> e.path().equals(path)
                        ? new LayerEntry(e.path(), e.type(), e.source(), e.linkTarget(), mode, e.uid(), e.gid())
                        : e)
                .toList();
    }

    private Path lockFile() {
        return workDir.resolve(MoleculeLock.FILE_NAME);
    }

    private ImageSpec spec(UnaryOperator<List<LayerEntry>> edit) throws Exception {
        LayerSpec workspace = WorkspaceAssets.layer(CACHE);
        return ImageSpec.builder()
                .osPackages(os)
                .lockFile(lockFile())
                .addLayer(new LayerSpec(workspace.name(), edit.apply(workspace.entries()), workspace.buildArgs()))
                .entrypoint(List.of(WorkspaceAssets.ENTRYPOINT))
                .cmd(List.of(WorkspaceAssets.DEFAULT_CMD))
                .creationTime(Instant.parse("2026-01-01T00:00:00Z"))
                .build();
    }
}
