package ai.molecule.validate;

import ai.molecule.core.BuildLog;
import ai.molecule.core.LayerSpec;
import ai.molecule.core.MoleculeException;
import ai.molecule.core.Trees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs every rule over a template, logs one line per rule, then fails once with all violations. */
public final class Validator {
    private final List<Rule> rules;

    public Validator(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    /** The rules of {@code molecule:validate}. */
    public static Validator standard() {
        return new Validator(List.of(
                new SudoersRule(),
                new ShellScriptRule(),
                new ConfigFileRule(),
                new SecretRule(),
                new PlatformMountsRule(),
                new ContractPathsRule()));
    }

    /** A template's layers, written where they need files of their own (the workspace assets) into {@code scratch}. */
    @FunctionalInterface
    public interface Layers {
        List<LayerSpec> in(Path scratch) throws MoleculeException, IOException;
    }

    /**
     * Validates the template in {@code projectDirectory} whose layers {@code layers} gives, in a
     * temporary directory removed again afterwards.
     */
    public void validate(Path projectDirectory, Layers layers, boolean workspaceImage, BuildLog log)
            throws MoleculeException, IOException {
        Path scratch = Files.createTempDirectory("molecule-validate-");
        try {
            validate(Template.of(projectDirectory, layers.in(scratch), workspaceImage), log);
        } finally {
            try {
                Trees.delete(scratch);
            } catch (IOException e) {
                log.warn("Could not remove the temporary directory " + scratch + ": " + e);
            }
        }
    }

    public void validate(Template template, BuildLog log) throws ValidationException, IOException {
        List<Violation> all = new ArrayList<>();
        for (Rule rule : rules) {
            Rule.Outcome outcome = rule.check(template, log);
            log.info(String.format(
                    "Rule %-14s %3d files checked, %s",
                    rule.name(),
                    outcome.filesChecked(),
                    outcome.violations().isEmpty()
                            ? "ok"
                            : outcome.violations().size() + " violation"
                                    + (outcome.violations().size() == 1 ? "" : "s")));
            all.addAll(outcome.violations());
        }
        if (!all.isEmpty()) {
            throw new ValidationException("The template breaks " + all.size() + " validation rule(s)", all);
        }
    }
}
