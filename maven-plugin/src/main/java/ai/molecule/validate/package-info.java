/**
 * Checks a template before it is built ({@code molecule:validate}): each {@link
 * ai.molecule.validate.Rule} does one job over a {@link ai.molecule.validate.Template} (the file
 * layers with their effective modes and owners, plus the project's {@code src/} files), and the
 * {@link ai.molecule.validate.Validator} reports every {@link ai.molecule.validate.Violation} at
 * once. {@link ai.molecule.validate.SecretScanner} also serves build-image, which scans the layer
 * tars it builds from template files.
 */
package ai.molecule.validate;
