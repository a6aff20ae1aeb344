package ai.molecule.build;

import ai.molecule.core.MoleculeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Pushed to a registry with Jib Core, with the credentials of {@code access}. */
public record RegistryTarget(String image, RegistryAccess access) implements Target {

    public RegistryTarget {
        image = Target.withDefaultTag(image);
    }

    @Override
    public String name() {
        return "registry";
    }

    @Override
    public Delivered deliver(BuiltImage built, BuildContext context) throws MoleculeException, IOException {
        Path tmp = context.workDir().resolve(".push-" + built.configHex() + ".tar");
        try {
            TarTarget.write(built, tmp);
            context.log().info("Pushing " + image + " with Jib Core");
            JibBridge.Pushed pushed = new JibBridge(context.cacheRoot().resolve("jib"), context.log())
                    .push(tmp, image, access, built.created());
            context.log().info("Pushed " + image + "@" + pushed.manifestDigest());
            // Jib rewrites the config it pushes; report the ID the registry's image has.
            return new Delivered(pushed.imageId(), pushed.manifestDigest(), null);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
