package ai.molecule.rootfs;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;

/**
 * Directories that are symlinks to other directories in the assembled tree — merged-/usr's {@code
 * /bin → usr/bin} and friends, base-files' {@code /var/run → /run} — and what that does to paths
 * that packages ship under the alias. A container engine extracting {@code bin/ls} under a {@code
 * bin} symlink would fail or replace the link, so such entries move to where the link points; a
 * relative symlink that moves is rewritten to point where it pointed before.
 */
final class PathAliases {
    /** Merged-/usr's aliases; lib32, libx32 and libo32 are only emitted when a package ships there. */
    static final Map<String, String> MERGED_USR = Collections.unmodifiableMap(new LinkedHashMap<>(Map.of(
            "/bin", "/usr/bin",
            "/sbin", "/usr/sbin",
            "/lib", "/usr/lib",
            "/lib32", "/usr/lib32",
            "/lib64", "/usr/lib64",
            "/libx32", "/usr/libx32",
            "/libo32", "/usr/libo32")));

    static final Set<String> ALWAYS_EMITTED = Set.of("/bin", "/sbin", "/lib", "/lib64");

    private final Map<String, String> aliases;
    private final Set<String> used = new TreeSet<>();

    PathAliases(Map<String, String> aliases) {
        this.aliases = Map.copyOf(aliases);
    }

    /** The absolute path a symlink at {@code link} with {@code target} points at, lexically. */
    static String resolveLink(String link, String target) {
        return join(lexical(target.startsWith("/") ? "/" : parent(link), target));
    }

    /** Counts an alias as used, as when a package ships the alias link itself. */
    void markUsed(String alias) {
        used.add(alias);
    }

    /** Is {@code path} itself an alias ({@code /bin})? */
    boolean isAlias(String path) {
        return aliases.containsKey(path);
    }

    Map<String, String> aliases() {
        return aliases;
    }

    /** Aliases something was shipped under or at. */
    Set<String> used() {
        return Collections.unmodifiableSet(used);
    }

    /**
     * Where a shipped {@code path} really lands: {@code /bin/ls} → {@code /usr/bin/ls}; the alias is
     * remembered as {@link #used()}.
     */
    String canonical(String path) {
        return resolve(path, true);
    }

    /** Where {@code path} resolves, without counting the alias as used (for lookups). */
    String lookup(String path) {
        return resolve(path, false);
    }

    private String resolve(String path, boolean markUsed) {
        String current = path;
        for (int hops = 0; hops < 8; hops++) {
            String moved = moveOnce(current, markUsed);
            if (moved.equals(current)) {
                return current;
            }
            current = moved;
        }
        return current;
    }

    private String moveOnce(String path, boolean markUsed) {
        for (Map.Entry<String, String> alias : aliases.entrySet()) {
            String from = alias.getKey();
            if (path.equals(from) || path.startsWith(from + "/")) {
                if (markUsed) {
                    used.add(from);
                }
                return alias.getValue() + path.substring(from.length());
            }
        }
        return path;
    }

    /**
     * The target a symlink shipped at {@code shippedPath} needs at its real place so that it still
     * names the file it named on a system without aliases. Absolute targets resolve through the
     * aliases anyway and stay; a relative one is kept when it still resolves to the same place.
     */
    String relink(String shippedPath, String target) {
        if (target.startsWith("/") || target.isEmpty()) {
            return target;
        }
        String realPath = resolve(shippedPath, false);
        List<String> intended = lexical(parent(shippedPath), target);
        String meant = resolve(join(intended), false);
        String naive = resolveThroughAliases(parent(realPath), target);
        if (meant.equals(naive)) {
            return target;
        }
        return relative(parent(realPath), meant);
    }

    /** Resolves {@code target} from directory {@code dir} the way the kernel would, aliases included. */
    private String resolveThroughAliases(String dir, String target) {
        return join(walk(dir, target, parts -> split(resolve(join(parts), false))));
    }

    private static List<String> lexical(String dir, String target) {
        return walk(dir, target, parts -> parts);
    }

    /**
     * Walks {@code target}'s components from {@code dir}: {@code .} stays, {@code ..} drops the last
     * component, any other is appended and the path so far passed through {@code afterStep}.
     */
    private static List<String> walk(String dir, String target, UnaryOperator<List<String>> afterStep) {
        List<String> parts = new ArrayList<>(split(dir));
        for (String part : target.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (!parts.isEmpty()) {
                    parts.remove(parts.size() - 1);
                }
            } else {
                parts.add(part);
                parts = new ArrayList<>(afterStep.apply(parts));
            }
        }
        return parts;
    }

    /** The relative path from directory {@code fromDir} to {@code to}, both absolute. */
    static String relative(String fromDir, String to) {
        List<String> from = split(fromDir);
        List<String> dest = split(to);
        int common = 0;
        while (common < from.size() && common < dest.size() && from.get(common).equals(dest.get(common))) {
            common++;
        }
        List<String> parts = new ArrayList<>();
        for (int i = common; i < from.size(); i++) {
            parts.add("..");
        }
        parts.addAll(dest.subList(common, dest.size()));
        return parts.isEmpty() ? "." : String.join("/", parts);
    }

    static String parent(String path) {
        int slash = path.lastIndexOf('/');
        return slash <= 0 ? "/" : path.substring(0, slash);
    }

    private static List<String> split(String path) {
        List<String> parts = new ArrayList<>();
        for (String part : path.split("/")) {
            if (!part.isEmpty()) {
                parts.add(part);
            }
        }
        return parts;
    }

    private static String join(List<String> parts) {
        return "/" + String.join("/", parts);
    }
}
