package ai.molecule.build;

import ai.molecule.core.BuildLog;
import ai.molecule.core.MoleculeException;
import ai.molecule.image.BaseImage;
import com.google.cloud.tools.jib.api.CacheDirectoryCreationException;
import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.DockerDaemonImage;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.InsecureRegistryException;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.api.RegistryException;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.RegistryUnauthorizedException;
import com.google.cloud.tools.jib.api.TarImage;
import com.google.cloud.tools.jib.api.buildplan.Platform;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ExecutionException;

/**
 * What Jib Core does for us: fetch a base from the local engine or a registry as a docker-save
 * tar. Layers, the cache, the tar format and the push are ours (Jib cannot take ready-made
 * layers, re-serializes the config it pushes, and its own cache keys on path and mtime, not
 * content); {@link RegistryTarget} pushes with the ORAS Java SDK.
 */
final class JibBridge {
    private static final String TOOL = "molecule-maven-plugin";
    private final Path jibCache;
    private final BuildLog log;

    JibBridge(Path jibCache, BuildLog log) {
        this.jibCache = jibCache;
        this.log = log;
    }

    /** Saves a docker-daemon or registry base into {@code tarFile}. */
    void saveBase(BaseImage base, RegistryAccess access, String architecture, String os, Path tarFile)
            throws MoleculeException {
        JibContainerBuilder builder;
        String reference;
        try {
            if (base instanceof BaseImage.DockerDaemon daemon) {
                reference = daemon.reference();
                builder = Jib.from(DockerDaemonImage.named(reference));
            } else if (base instanceof BaseImage.Registry registry) {
                reference = registry.reference();
                RegistryImage image = RegistryImage.named(reference);
                if (access.credential() != null) {
                    image.addCredential(
                            access.credential().username(), access.credential().password());
                }
                builder = Jib.from(image);
            } else {
                throw new IllegalArgumentException("Jib fetches only daemon and registry bases, not " + base);
            }
        } catch (InvalidImageReferenceException e) {
            // The configuration stage checked the reference.
            throw new IllegalArgumentException("not an image reference: " + e.getInvalidReference(), e);
        }
        builder.setPlatforms(Set.of(new Platform(architecture, os))).setCreationTime(Instant.EPOCH);
        try {
            containerize(
                    builder,
                    Containerizer.to(TarImage.at(tarFile).named(ImageReference.of(null, "molecule-base", "latest")))
                            .setAllowInsecureRegistries(access.allowInsecure()),
                    access);
        } catch (MoleculeException e) {
            throw new MoleculeException("Cannot fetch base " + reference + " (<base>): " + e.getMessage(), e);
        }
    }

    private JibContainer containerize(JibContainerBuilder builder, Containerizer containerizer, RegistryAccess access)
            throws MoleculeException {
        if (!access.allowInsecure() || access.credential() == null) {
            return containerizeChecked(builder, containerizer);
        }
        // Jib sends credentials over plain HTTP only when a JVM-wide property says so;
        // <allowInsecureRegistries> is that consent. The lock keeps parallel builds in one JVM
        // (mvn -T) from clearing it under each other.
        synchronized (JibBridge.class) {
            String previous = System.getProperty("sendCredentialsOverHttp");
            System.setProperty("sendCredentialsOverHttp", "true");
            try {
                return containerizeChecked(builder, containerizer);
            } finally {
                if (previous == null) {
                    System.clearProperty("sendCredentialsOverHttp");
                } else {
                    System.setProperty("sendCredentialsOverHttp", previous);
                }
            }
        }
    }

    private JibContainer containerizeChecked(JibContainerBuilder builder, Containerizer containerizer)
            throws MoleculeException {
        containerizer
                .setToolName(TOOL)
                .setBaseImageLayersCache(jibCache.resolve("base"))
                .setApplicationLayersCache(jibCache.resolve("application"))
                .addEventHandler(LogEvent.class, this::onLog);
        try {
            return builder.containerize(containerizer);
        } catch (ExecutionException e) {
            throw explain(e.getCause() == null ? e : e.getCause());
        } catch (RegistryException | IOException | CacheDirectoryCreationException e) {
            throw explain(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MoleculeException("interrupted", e);
        }
    }

    private static MoleculeException explain(Throwable cause) {
        if (cause instanceof RegistryUnauthorizedException unauthorized) {
            return new MoleculeException(
                    RegistryAccess.refused(String.valueOf(unauthorized.getImageReference())), cause);
        }
        if (cause instanceof InsecureRegistryException) {
            return new MoleculeException(
                    "the registry does not speak verified HTTPS. For a local or test registry set"
                            + " <allowInsecureRegistries>true</allowInsecureRegistries>",
                    cause);
        }
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return new MoleculeException(message, cause);
    }

    private void onLog(LogEvent event) {
        switch (event.getLevel()) {
            case ERROR, WARN -> log.warn("Jib: " + event.getMessage());
            case LIFECYCLE, PROGRESS, INFO -> log.debug("Jib: " + event.getMessage());
            default -> {}
        }
    }
}
