package ai.molecule.debian;

/**
 * One entry of {@code <packages>} that needs installing.
 *
 * @param pinned the exact version asked for with {@code name=version}, {@code null} for the candidate
 */
record Request(String name, PackageVersion pinned) {}
