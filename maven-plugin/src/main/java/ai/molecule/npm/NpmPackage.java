package ai.molecule.npm;

/**
 * One package the layer installs, as resolved before installing; the SBOM lists these.
 *
 * @param path where npm places it below the prefix's {@code lib}, e.g. {@code
 *     node_modules/@openai/codex/node_modules/@openai/codex-linux-x64}
 * @param name the registry name (an alias's real name, e.g. {@code @openai/codex})
 * @param integrity the tarball's Subresource Integrity string, e.g. {@code sha512-…}
 * @param resolved the tarball URL, or empty when npm left it out of the lock
 * @param license the licence the package declares, or empty
 */
public record NpmPackage(String path, String name, String version, String integrity, String resolved, String license) {}
