package ai.molecule.validate;

import ai.molecule.contract.WorkspaceContract;
import ai.molecule.core.BuildLog;
import ai.molecule.core.LayerEntry;
import ai.molecule.core.LayerSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * No layer ships anything where the provisioner mounts its own directories at start ({@link
 * WorkspaceContract#PLATFORM_MOUNTS}): the mount hides what the image holds there, and under {@code
 * /configs} a file sits where the workspace token does, so a token committed to the template would
 * be baked into a layer. build-image applies the same check to every layer of files it builds.
 */
public final class PlatformMountsRule implements Rule {

    @Override
    public String name() {
        return "platform mounts";
    }

    @Override
    public Outcome check(Template template, BuildLog log) {
        List<Violation> violations = new ArrayList<>();
        int checked = 0;
        for (LayerSpec layer : template.layers()) {
            checked += layer.entries().size();
            violations.addAll(violations(layer, template::display));
        }
        return new Outcome(checked, violations);
    }

    /**
     * What {@code layer} ships under the platform's mounts: each file and link, or the topmost
     * directory of a mount that holds only directories.
     *
     * @param display how a source file is named in the message
     */
    public static List<Violation> violations(LayerSpec layer, Function<Path, String> display) {
        List<Violation> violations = new ArrayList<>();
        for (String mount : WorkspaceContract.PLATFORM_MOUNTS) {
            List<LayerEntry> under = layer.entries().stream()
                    .filter(entry -> entry.path().equals(mount) || entry.path().startsWith(mount + "/"))
                    .toList();
            List<LayerEntry> shipped = under.stream()
                    .filter(entry -> entry.type() != LayerEntry.Type.DIRECTORY)
                    .toList();
            List<LayerEntry> reported = shipped.isEmpty() && !under.isEmpty() ? List.of(under.get(0)) : shipped;
            for (LayerEntry entry : reported) {
                violations.add(violation(layer, entry, mount, display));
            }
        }
        return violations;
    }

    private static Violation violation(
            LayerSpec layer, LayerEntry entry, String mount, Function<Path, String> display) {
        String where = entry.source() != null
                ? display.apply(entry.source())
                : "the " + layer.name() + " layer (" + entry.path() + ")";
        String token = entry.path().equals(WorkspaceContract.AUTH_TOKEN)
                ? "; it is the workspace token's path, and a token in an image layer leaks to everyone who pulls it"
                : "";
        return new Violation(
                where,
                0,
                "ships " + entry.path() + " under " + mount + ", which the provisioner mounts over the image at start"
                        + token,
                "Remove it from the template: the platform provides " + mount + " when the workspace starts. Put a"
                        + " default the agent needs elsewhere (e.g. under /etc/molecule) and copy it in an"
                        + " entrypoint.d hook");
    }
}
