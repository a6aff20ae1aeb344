package ai.molecule.files;

import ai.molecule.core.DirectoryScan.Ownership;
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
 * @param mode up to {@code 07777}: setuid, setgid and sticky bits survive
 */
public record PermissionRule(String glob, OptionalInt mode, OptionalInt uid, OptionalInt gid) {

    public PermissionRule {
        if (!glob.startsWith("/")) {
            throw new IllegalArgumentException("permission glob must be an absolute image path: " + glob);
        }
        if (mode.isPresent() && (mode.getAsInt() & ~07777) != 0) {
            throw new IllegalArgumentException("mode out of range: " + Integer.toOctalString(mode.getAsInt()));
        }
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

        Ownership apply(String imagePath, Ownership defaults) {
            Path path = Path.of(imagePath);
            int mode = defaults.mode();
            int uid = defaults.uid();
            int gid = defaults.gid();
            for (int i = 0; i < rules.size(); i++) {
                if (matchers.get(i).matches(path)) {
                    PermissionRule rule = rules.get(i);
                    mode = rule.mode.orElse(mode);
                    uid = rule.uid.orElse(uid);
                    gid = rule.gid.orElse(gid);
                }
            }
            return new Ownership(mode, uid, gid);
        }
    }
}
