package ai.molecule.pip;

/**
 * One distribution pip resolved for a layer, as an SBOM lists it.
 *
 * @param url where pip found it, credentials removed
 */
public record PipComponent(String name, String version, String sha256, String url) {}
