package ai.molecule.lock;

import ai.molecule.core.Json;
import ai.molecule.core.MoleculeException;
import ai.molecule.debian.DebianLock;
import ai.molecule.npm.NpmLock;
import ai.molecule.pip.PipLock;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * {@code molecule.lock}: every component of an image, one entry a line so that a re-lock reads as a
 * diff — a section per ecosystem, each with the inputs it was resolved from and its pinned
 * components. A build installs exactly these and resolves nothing.
 *
 * <p>Format 2 has {@code debian}, {@code npm} and {@code pip} sections. Format 1 (Debian only, at
 * the top level) is still read; {@code molecule:lock} writes it again as format 2.
 *
 * @param debian {@code null} when the image installs no Debian packages; likewise {@code npm} and {@code pip}
 * @param format the format the file was read in, {@link #FORMAT} for a new lock
 */
public record MoleculeLock(int format, DebianLock debian, NpmLock npm, PipLock pip) {
    public static final String FILE_NAME = "molecule.lock";
    public static final int FORMAT = 2;

    public MoleculeLock(DebianLock debian, NpmLock npm, PipLock pip) {
        this(FORMAT, debian, npm, pip);
    }

    public static MoleculeLock read(Path file) throws MoleculeException {
        JsonNode root;
        try {
            root = Json.read(file);
        } catch (IOException e) {
            throw new MoleculeException(
                    "Cannot read " + file + ": " + e.getMessage() + ". Run `mvn molecule:lock` to write it again");
        }
        int format = root.path("format").asInt();
        if (format == 1) {
            return new MoleculeLock(1, DebianLock.fromJson(root, file), null, null);
        }
        if (format != FORMAT) {
            throw new MoleculeException(file + " has lock format " + root.path("format") + ", this plugin reads 1 and "
                    + FORMAT + ". Run `mvn molecule:lock` to write it again");
        }
        return new MoleculeLock(
                format,
                root.has("debian") ? DebianLock.fromJson(root.path("debian"), file) : null,
                root.has("npm") ? NpmLock.fromJson(root.path("npm"), file) : null,
                root.has("pip") ? PipLock.fromJson(root.path("pip"), file) : null);
    }

    /** Writes the lock atomically, each section's inputs pretty-printed and its components one per line. */
    public void write(Path file) throws IOException {
        StringBuilder text = new StringBuilder("{\n  \"format\": ").append(FORMAT);
        if (debian != null) {
            section(text, "debian", debian.inputsJson(), debian.entriesJson());
        }
        if (npm != null) {
            section(text, "npm", npm.inputsJson(), npm.entriesJson());
        }
        if (pip != null) {
            section(text, "pip", pip.inputsJson(), pip.entriesJson());
        }
        text.append("\n}\n");
        Path tmp = file.resolveSibling(file.getFileName() + ".part");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void section(StringBuilder text, String name, ObjectNode inputs, List<ObjectNode> entries)
            throws IOException {
        text.append(",\n  \"")
                .append(name)
                .append("\": {\n    \"inputs\": ")
                .append(Json.pretty(inputs).replace("\n", "\n    "))
                .append(",\n    \"packages\": [");
        for (int i = 0; i < entries.size(); i++) {
            text.append(i == 0 ? "\n      " : ",\n      ").append(Json.text(entries.get(i)));
        }
        text.append(entries.isEmpty() ? "]\n  }" : "\n    ]\n  }");
    }
}
