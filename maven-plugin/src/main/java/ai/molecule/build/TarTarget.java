package ai.molecule.build;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** A docker-save tar written to {@code file} (no engine needed); it appears whole or not at all. */
public record TarTarget(String image, Path file) implements Target {

    public TarTarget {
        image = Target.withDefaultTag(image);
    }

    @Override
    public String name() {
        return "tar";
    }

    @Override
    public void discardPrevious() throws IOException {
        Files.deleteIfExists(file);
    }

    @Override
    public Delivered deliver(BuiltImage image, BuildContext context) throws IOException {
        write(image, file);
        context.log().info("Wrote " + file + " (" + Sizes.of(Files.size(file)) + ")");
        return new Delivered(image.imageId(), null, file.toString());
    }

    /** Writes {@code image} to {@code file} through a {@code .part} sibling moved into place. */
    static void write(BuiltImage image, Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path part = file.resolveSibling(file.getFileName() + ".part");
        try {
            try (OutputStream out = Files.newOutputStream(part)) {
                image.writeDockerSave(out, 0);
            }
            Files.move(part, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(part);
        }
    }
}
