package ai.molecule.validate;

import ai.molecule.contract.WorkspaceContract;
import ai.molecule.core.BuildLog;
import ai.molecule.core.LayerEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** A workspace image holds the contract's paths (in any layer): entrypoint, askpass, token helper, sudoers. */
public final class ContractPathsRule implements Rule {
    static final List<String> PATHS = WorkspaceContract.requiredPaths();

    @Override
    public String name() {
        return "contract paths";
    }

    @Override
    public Outcome check(Template template, BuildLog log) {
        if (!template.workspaceImage()) {
            return new Outcome(0, List.of());
        }
        Set<String> present = template.layers().stream()
                .flatMap(layer -> layer.entries().stream())
                .map(LayerEntry::path)
                .collect(Collectors.toSet());
        List<Violation> violations = new ArrayList<>();
        for (String path : PATHS) {
            if (!present.contains(path)) {
                violations.add(new Violation(
                        "pom.xml",
                        0,
                        "the workspace image lacks " + path + ", which the workspace contract requires",
                        "Keep <workspace> enabled so the standard assets are added, or put your own file at"
                                + " src/main/image" + path));
            }
        }
        return new Outcome(PATHS.size(), violations);
    }
}
