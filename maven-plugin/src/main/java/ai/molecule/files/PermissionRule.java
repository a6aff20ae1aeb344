package ai.molecule.files;

import ai.molecule.core.InvalidConfigurationException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;
import java.util.OptionalInt;

/**
 * Overrides the mode and/or numeric owner of every image path matching a glob, e.g. {@code
 * /usr/local/bin/*} → {@code 0755}, {@code /etc/sudoers.d/*} → {@code 0440 0:0}. Later rules win.
 *
 * @param glob matched against the absolute in-image path ({@code *} stays within a directory,
 *     {@code **} crosses directories)
 */
public record PermissionRule(String glob, OptionalInt mode, OptionalInt uid, OptionalInt gid) {

    private static final String ELEMENT = "permissions";

    public static PermissionRule parse(String glob, String mode, String owner) throws InvalidConfigurationException {
        if (glob == null || !glob.startsWith("/")) {
            throw new InvalidConfigurationException(
                    ELEMENT,
                    "path '" + glob + "' is not an absolute image path",
                    "Write the glob as the path in the image, e.g. /usr/local/bin/*");
        }
        OptionalInt parsedMode = OptionalInt.empty();
        if (mode != null && !mode.isBlank()) {
            parsedMode = OptionalInt.of(parseMode(mode.trim(), glob));
        }
        OptionalInt uid = OptionalInt.empty();
        OptionalInt gid = OptionalInt.empty();
        if (owner != null && !owner.isBlank()) {
            String[] parts = owner.trim().split(":", -1);
            if (parts.length != 2 || !parts[0].matches("\\d{1,9}") || !parts[1].matches("\\d{1,9}")) {
                throw new InvalidConfigurationException(
                        ELEMENT,
                        "owner '" + owner + "' for " + glob + " is not a numeric uid:gid",
                        "Write it as numbers, e.g. 1000:1000 for agent or 0:0 for root (names are not resolved)");
            }
            uid = OptionalInt.of(Integer.parseInt(parts[0]));
            gid = OptionalInt.of(Integer.parseInt(parts[1]));
        }
        if (parsedMode.isEmpty() && uid.isEmpty()) {
            throw new InvalidConfigurationException(
                    ELEMENT, "the rule for " + glob + " sets neither <mode> nor <owner>", "Give it one or both");
        }
        return new PermissionRule(glob, parsedMode, uid, gid);
    }

    /** Parses three or four octal digits; four allow setuid (4), setgid (2) and sticky (1). */
    static int parseMode(String mode, String glob) throws InvalidConfigurationException {
        if (!mode.matches("[0-7]{3,4}")) {
            throw new InvalidConfigurationException(
                    ELEMENT,
                    "mode '" + mode + "' for " + glob + " is not an octal file mode",
                    "Write three or four octal digits, e.g. 0755, 0440 or 4755 for setuid");
        }
        return Integer.parseInt(mode, 8);
    }

    PathMatcher matcher() {
        return FileSystems.getDefault().getPathMatcher("glob:" + glob);
    }

    /** The rules that apply to one path, in declaration order. */
    static final class Matchers {
        private final List<PermissionRule> rules;
        private final List<PathMatcher> matchers;

        Matchers(List<PermissionRule> rules) {
            this.rules = List.copyOf(rules);
            this.matchers = rules.stream().map(PermissionRule::matcher).toList();
        }

        int[] apply(String imagePath, int mode, int uid, int gid) {
            Path path = Path.of(imagePath);
            int[] result = {mode, uid, gid};
            for (int i = 0; i < rules.size(); i++) {
                if (matchers.get(i).matches(path)) {
                    PermissionRule rule = rules.get(i);
                    rule.mode.ifPresent(m -> result[0] = m);
                    rule.uid.ifPresent(u -> result[1] = u);
                    rule.gid.ifPresent(g -> result[2] = g);
                }
            }
            return result;
        }
    }
}
