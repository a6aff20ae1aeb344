package ai.molecule.lock;

import ai.molecule.debian.DebianLock;
import ai.molecule.debian.LockedPackage;
import ai.molecule.npm.NpmLock;
import ai.molecule.pip.PipLock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a re-lock changed, per ecosystem: added, removed, upgraded old → new (downgraded too), a
 * Debian package taken from the {@code -security} suite marked as such. {@code molecule:lock}
 * prints it so the reviewer sees in the log what the diff of the file will show.
 */
public final class LockChanges {
    private LockChanges() {}

    /** @param previous {@code null} when there was no lock */
    public static List<String> between(MoleculeLock previous, MoleculeLock next) {
        List<String> lines = new ArrayList<>();
        if (previous != null && previous.format() != MoleculeLock.FORMAT) {
            lines.add("lock format " + previous.format() + " → " + MoleculeLock.FORMAT
                    + ": the file now has a section per ecosystem (debian, npm, pip)");
        }
        DebianLock oldDebian = previous == null ? null : previous.debian();
        if (oldDebian != null || next.debian() != null) {
            Set<String> security = new TreeSet<>();
            if (next.debian() != null) {
                for (LockedPackage p : next.debian().packages()) {
                    if (p.archive().equals(next.debian().inputs().securityArchive())) {
                        security.add(p.name());
                    }
                }
            }
            section(lines, "debian", debianVersions(oldDebian), debianVersions(next.debian()), security);
        }
        NpmLock oldNpm = previous == null ? null : previous.npm();
        if (oldNpm != null || next.npm() != null) {
            section(lines, "npm", npmVersions(oldNpm), npmVersions(next.npm()), Set.of());
        }
        PipLock oldPip = previous == null ? null : previous.pip();
        if (oldPip != null || next.pip() != null) {
            section(
                    lines,
                    "pip",
                    oldPip == null ? Map.of() : oldPip.versions(),
                    next.pip() == null ? Map.of() : next.pip().versions(),
                    Set.of());
        }
        return lines;
    }

    private static Map<String, String> debianVersions(DebianLock lock) {
        return lock == null ? Map.of() : lock.versions();
    }

    /** npm places a name at several paths; each path is one component. */
    private static Map<String, String> npmVersions(NpmLock lock) {
        Map<String, String> versions = new TreeMap<>();
        if (lock != null) {
            lock.nodes().stream()
                    .filter(node -> !node.path().isEmpty())
                    .forEach(node -> versions.put(
                            String.join(
                                    " > ",
                                    node.path()
                                            .substring("node_modules/".length())
                                            .split("/node_modules/")),
                            node.version()));
        }
        return versions;
    }

    private static void section(
            List<String> lines,
            String ecosystem,
            Map<String, String> before,
            Map<String, String> after,
            Set<String> security) {
        List<String> changes = new ArrayList<>();
        int added = 0;
        int removed = 0;
        int changed = 0;
        Set<String> names = new TreeSet<>(before.keySet());
        names.addAll(after.keySet());
        for (String name : names) {
            String old = before.get(name);
            String now = after.get(name);
            if (old == null) {
                added++;
                changes.add("  + " + name + " " + now + (security.contains(name) ? " (security)" : ""));
            } else if (now == null) {
                removed++;
                changes.add("  - " + name + " " + old);
            } else if (!Objects.equals(old, now)) {
                changed++;
                changes.add("  ~ " + name + " " + old + " → " + now + (security.contains(name) ? " (security)" : ""));
            }
        }
        if (changes.isEmpty()) {
            lines.add(ecosystem + ": unchanged (" + after.size() + " packages)");
            return;
        }
        lines.add(ecosystem + ": " + added + " added, " + removed + " removed, " + changed + " changed (" + after.size()
                + " packages)");
        lines.addAll(changes);
    }
}
