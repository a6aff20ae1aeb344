package ai.molecule.build;

import java.nio.file.Path;

/** Where the built image goes. */
public sealed interface Target {

    /** The image reference, e.g. {@code molecule/claude-code:1.0}. */
    String image();

    /** A docker-save tar written to {@code file}; no engine needed. */
    record Tar(String image, Path file) implements Target {}

    /** Loaded into the Docker engine the {@code docker} CLI talks to. */
    record Docker(String image) implements Target {}

    /** Pushed with Jib Core. */
    record Registry(String image, RegistryAccess access) implements Target {}
}
