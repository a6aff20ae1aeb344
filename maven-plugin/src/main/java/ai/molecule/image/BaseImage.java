package ai.molecule.image;

import ai.molecule.core.InvalidConfigurationException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Where the image starts: nothing, a docker-save tar, an image in the local engine or a registry
 * image. Written in the POM as {@code scratch}, {@code tar://path}, {@code docker://name} or
 * {@code registry://ref} (a bare reference means a registry), as Jib's plugins spell it.
 */
public sealed interface BaseImage {

    record Scratch() implements BaseImage {}

    record TarFile(Path path) implements BaseImage {}

    record DockerDaemon(String reference) implements BaseImage {}

    record Registry(String reference) implements BaseImage {}

    /** Parses the {@code <base>} element; {@code baseDir} resolves relative tar paths. */
    static BaseImage parse(String value, Path baseDir) throws InvalidConfigurationException {
        String text = value == null ? "" : value.trim();
        if (text.isEmpty() || text.toLowerCase(Locale.ROOT).equals("scratch")) {
            return new Scratch();
        }
        if (text.startsWith("tar://")) {
            return new TarFile(
                    baseDir.resolve(text.substring("tar://".length())).normalize());
        }
        if (text.startsWith("docker://")) {
            return new DockerDaemon(requireReference(text.substring("docker://".length()), value));
        }
        if (text.startsWith("registry://")) {
            return new Registry(requireReference(text.substring("registry://".length()), value));
        }
        if (text.contains("://")) {
            throw new InvalidConfigurationException(
                    "base",
                    "unknown base '" + value + "'",
                    "Use scratch, tar://<path to a docker-save tar>, docker://<image in the local engine> or"
                            + " registry://<image reference>");
        }
        return new Registry(requireReference(text, value));
    }

    private static String requireReference(String reference, String original) throws InvalidConfigurationException {
        if (!reference.matches("[a-z0-9][a-z0-9._/:@-]*(:[\\w][\\w.-]*)?(@sha256:[0-9a-f]{64})?")
                || reference.endsWith(":")
                || reference.endsWith("/")) {
            throw new InvalidConfigurationException(
                    "base",
                    "unknown base '" + original + "' is not an image reference",
                    "Write a reference such as debian:bookworm or 127.0.0.1:5000/team/base:1, prefixed with"
                            + " docker:// for the local engine");
        }
        return reference;
    }
}
