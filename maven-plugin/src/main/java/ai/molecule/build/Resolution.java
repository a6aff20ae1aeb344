package ai.molecule.build;

import ai.molecule.debian.LockFile;
import ai.molecule.debian.LockedPackage;
import ai.molecule.image.PipLayer;
import ai.molecule.rootfs.BaseSystem;
import java.util.List;

/**
 * The resolve stage's result: the base in the cache and the exact inputs of every layer step.
 *
 * @param baseSystem the base's dpkg state; {@code null} without Debian packages
 * @param lock the Debian packages to install, checked against the POM; {@code null} without them
 * @param pip the pip layer aimed at the image's Python; {@code null} without one
 */
record Resolution(BaseLayers base, BaseSystem baseSystem, LockFile lock, PipLayer pip) {

    List<LockedPackage> debianPackages() {
        return lock == null ? List.of() : lock.packages();
    }
}
