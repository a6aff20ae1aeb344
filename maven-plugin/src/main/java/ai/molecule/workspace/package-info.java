/**
 * The workspace standard assets ({@link ai.molecule.workspace.WorkspaceAssets}): the shell scripts
 * under {@code src/main/resources/ai/molecule/workspace/} and the layer, account and group that put
 * them into an image.
 */
package ai.molecule.workspace;
