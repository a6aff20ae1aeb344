package ai.molecule.pip;

import ai.molecule.core.KeyDigest;
import ai.molecule.image.PipLayer;
import java.time.Instant;

/**
 * The cache key of a pip layer: SHA-256 over a canonical text of its locked distributions (name,
 * version, SHA-256 of each wheel) and of what shapes the installed tree — target Python and
 * platforms, install paths, interpreter, mtime. Computing it runs nothing, so a cached layer costs a
 * lookup.
 */
final class PipLayerKey {
    /** Bump when the layer's layout changes for the same inputs. */
    private static final String FORMAT = "molecule-pip-layer/2";

    private PipLayerKey() {}

    static String of(PipLayer layer, PipLock lock, Instant mtime) {
        KeyDigest key = new KeyDigest(FORMAT);
        key.line("mtime " + mtime.getEpochSecond());
        key.line("python " + layer.pythonVersion());
        layer.platforms().forEach(platform -> key.line("platform " + platform));
        key.line("site-packages " + layer.sitePackages());
        key.line("bin " + layer.binDir());
        key.line("interpreter " + layer.interpreter());
        key.line("runtime " + layer.runtimePackage() + " " + layer.runtimeVersion());
        for (PipLock.Pin pin : lock.pins()) {
            key.line("wheel " + pin.name() + "==" + pin.version() + " " + pin.file() + " sha256=" + pin.sha256());
        }
        return key.hex();
    }
}
