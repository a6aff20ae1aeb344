package ai.molecule.rootfs;

import ai.molecule.core.BuildLog;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * What {@code update-alternatives --install} leaves behind, computed instead of run: per group the
 * state file {@code /var/lib/dpkg/alternatives/<name>} in dpkg's format, and the choice auto mode
 * picks — the highest priority, ties going to the first path in sorted order, as dpkg's {@code
 * alternative_get_best} does on a fresh system.
 */
final class Alternatives {
    private Alternatives() {}

    /** A group as dpkg stores it: slaves sorted by name, choices sorted by path. */
    record Group(
            String name,
            boolean manual,
            String link,
            SortedMap<String, String> slaveLinks,
            SortedMap<String, Choice> choices,
            Optional<String> currentValue) {

        Group {
            slaveLinks = Collections.unmodifiableSortedMap(new TreeMap<>(slaveLinks));
            choices = Collections.unmodifiableSortedMap(new TreeMap<>(choices));
        }

        /** The choice the links point at: the manual selection if there is one, else the best. */
        Choice selected() {
            if (manual && currentValue.isPresent() && choices.containsKey(currentValue.get())) {
                return choices.get(currentValue.get());
            }
            Choice best = null;
            for (Choice choice : choices.values()) {
                if (best == null || choice.priority() > best.priority()) {
                    best = choice;
                }
            }
            return best;
        }

        /** The state file text, byte for byte what dpkg's update-alternatives writes. */
        String stateText() {
            StringBuilder text = new StringBuilder();
            text.append(manual ? "manual" : "auto").append('\n');
            text.append(link).append('\n');
            slaveLinks.forEach((slave, slaveLink) ->
                    text.append(slave).append('\n').append(slaveLink).append('\n'));
            text.append('\n');
            for (Choice choice : choices.values()) {
                text.append(choice.path()).append('\n');
                text.append(choice.priority()).append('\n');
                for (String slave : slaveLinks.keySet()) {
                    text.append(choice.slavePaths().getOrDefault(slave, "")).append('\n');
                }
            }
            text.append('\n');
            return text.toString();
        }
    }

    record Choice(String path, int priority, Map<String, String> slavePaths) {
        Choice {
            slavePaths = Map.copyOf(slavePaths);
        }
    }

    /** Parses a state file; {@code currentValue} is where {@code /etc/alternatives/<name>} points. */
    static Group parseState(String name, String text, Optional<String> currentValue) {
        List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
        int i = 0;
        boolean manual = lines.get(i++).equals("manual");
        String link = lines.get(i++);
        List<String> slaveNames = new ArrayList<>();
        SortedMap<String, String> slaveLinks = new TreeMap<>();
        while (i < lines.size() && !lines.get(i).isEmpty()) {
            String slave = lines.get(i++);
            slaveNames.add(slave);
            slaveLinks.put(slave, lines.get(i++));
        }
        i++;
        SortedMap<String, Choice> choices = new TreeMap<>();
        while (i < lines.size() && !lines.get(i).isEmpty()) {
            String path = lines.get(i++);
            int priority = Integer.parseInt(lines.get(i++).strip());
            Map<String, String> slavePaths = new LinkedHashMap<>();
            for (String slave : slaveNames) {
                String slavePath = lines.get(i++);
                if (!slavePath.isEmpty()) {
                    slavePaths.put(slave, slavePath);
                }
            }
            choices.put(path, new Choice(path, priority, slavePaths));
        }
        return new Group(name, manual, link, slaveLinks, choices, currentValue);
    }

    /**
     * Adds the {@code installs} (in package order) to the {@code base} groups. A choice whose path
     * no package ships is dropped with a warning, as {@code update-alternatives} refuses it.
     *
     * @return the groups the installs touched, by name
     */
    static SortedMap<String, Group> install(
            Map<String, Group> base, List<AlternativeInstall> installs, Predicate<String> exists, BuildLog log) {
        SortedMap<String, Group> touched = new TreeMap<>();
        for (AlternativeInstall install : installs) {
            if (!exists.test(install.path())) {
                log.warn("Alternative " + install.name() + " → " + install.path() + " (from " + install.packageName()
                        + ") is not registered: no package ships " + install.path());
                continue;
            }
            Group group = touched.getOrDefault(install.name(), base.get(install.name()));
            String link = group == null ? install.link() : group.link();
            if (group != null && !group.link().equals(install.link())) {
                log.warn("Alternative " + install.name() + " from " + install.packageName() + " uses link "
                        + install.link() + " but the group's link is " + group.link() + "; keeping "
                        + group.link());
            }
            SortedMap<String, String> slaveLinks = new TreeMap<>(group == null ? Map.of() : group.slaveLinks());
            Map<String, String> slavePaths = new LinkedHashMap<>();
            for (AlternativeInstall.Slave slave : install.slaves()) {
                slaveLinks.putIfAbsent(slave.name(), slave.link());
                slavePaths.put(slave.name(), slave.path());
            }
            SortedMap<String, Choice> choices = new TreeMap<>(group == null ? Map.of() : group.choices());
            choices.put(install.path(), new Choice(install.path(), install.priority(), slavePaths));
            touched.put(
                    install.name(),
                    new Group(
                            install.name(),
                            group != null && group.manual(),
                            link,
                            slaveLinks,
                            choices,
                            group == null ? Optional.empty() : group.currentValue()));
        }
        return touched;
    }
}
