package ai.molecule.conformance;

/**
 * The standard suite as failsafe finds it in this artifact through {@code dependenciesToScan} (its
 * includes match {@code *IT}; the abstract base is never run on its own).
 */
public class WorkspaceConformanceIT extends WorkspaceConformanceTest {}
