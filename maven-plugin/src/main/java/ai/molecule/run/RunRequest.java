package ai.molecule.run;

import ai.molecule.core.MoleculeException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What {@code molecule:run} starts: an image from the local engine under a fixed container name,
 * labelled with the template it belongs to, with the provisioner's mounts and planted token.
 *
 * @param image the image reference in the engine
 * @param name the container's name
 * @param project the value of the {@link LocalWorkspace#LABEL} label, which {@code molecule:stop} looks for
 * @param configs the host directory mounted at {@code /configs}; the token is planted here
 * @param workspace the host directory mounted at {@code /workspace}, or null for none
 * @param environment extra environment of the container; every value is masked in the boot log
 * @param token the token planted root-owned at {@code /configs/.auth_token} before boot, or null
 */
public record RunRequest(
        String image,
        String name,
        String project,
        Path configs,
        Path workspace,
        Map<String, String> environment,
        String token) {
    private static final Pattern VARIABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    public RunRequest {
        environment = Map.copyOf(environment);
    }

    /**
     * The environment named on the command line: {@code NAME=value}, or a bare {@code NAME} whose
     * value comes from {@code from} (so that a secret never needs to be typed into a command).
     *
     * @param element the POM element or property the entries came from, for messages
     */
    public static Map<String, String> environment(List<String> entries, Map<String, String> from, String element)
            throws MoleculeException {
        Map<String, String> environment = new LinkedHashMap<>();
        for (String entry : entries) {
            String text = entry.strip();
            if (text.isEmpty()) {
                continue;
            }
            int equals = text.indexOf('=');
            String name = equals < 0 ? text : text.substring(0, equals);
            if (!VARIABLE.matcher(name).matches()) {
                throw new MoleculeException(element + ": `" + name + "` is not a variable name. Give NAME=value,"
                        + " or a bare NAME to pass that variable from Maven's environment");
            }
            String value = equals < 0 ? from.get(name) : text.substring(equals + 1);
            if (value == null) {
                throw new MoleculeException(element + ": " + name + " is not set in Maven's environment. Export it"
                        + " before running Maven, or give " + name + "=value");
            }
            environment.put(name, value);
        }
        return environment;
    }
}
