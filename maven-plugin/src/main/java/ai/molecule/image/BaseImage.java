package ai.molecule.image;

import java.nio.file.Path;

/**
 * Where the image starts: nothing, a docker-save tar, an image in the local engine or a registry
 * image. Written in the POM as {@code scratch}, {@code tar://path}, {@code docker://name} or
 * {@code registry://ref} (a bare reference means a registry), as Jib's plugins spell it.
 */
public sealed interface BaseImage {

    record Scratch() implements BaseImage {
        @Override
        public String toString() {
            return "scratch";
        }
    }

    record TarFile(Path path) implements BaseImage {
        @Override
        public String toString() {
            return "tar://" + path;
        }
    }

    record DockerDaemon(String reference) implements BaseImage {
        @Override
        public String toString() {
            return "docker://" + reference;
        }
    }

    record Registry(String reference) implements BaseImage {
        @Override
        public String toString() {
            return "registry://" + reference;
        }
    }
}
