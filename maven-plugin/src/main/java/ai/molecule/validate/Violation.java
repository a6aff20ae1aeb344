package ai.molecule.validate;

/**
 * One problem a rule found.
 *
 * @param file where, relative to the project when it lies inside it
 * @param line 1-based, or 0 when the problem concerns the whole file
 * @param problem what is wrong, without a closing period
 * @param fix how to put it right, one sentence
 */
public record Violation(String file, int line, String problem, String fix) {

    /** {@code file:line: problem. fix} as the goal reports it. */
    public String describe() {
        return file + (line > 0 ? ":" + line : "") + ": " + problem + ". " + fix;
    }
}
