package ai.molecule.build;

import ai.molecule.image.PipLayer;
import ai.molecule.lock.MoleculeLock;
import ai.molecule.rootfs.BaseSystem;

/**
 * The resolve stage's result: the base in the cache and the exact inputs of every layer step.
 *
 * @param baseSystem the base's dpkg state; {@code null} without Debian packages
 * @param lock the image's components, checked against the POM; {@code null} when it has none
 * @param pip the pip layer aimed at the image's Python; {@code null} without one
 */
record Resolution(BaseLayers base, BaseSystem baseSystem, MoleculeLock lock, PipLayer pip) {}
