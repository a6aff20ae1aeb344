package ai.molecule.debian;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads {@code <packages>}: checks each entry's syntax, pin, and that it names a package, and drops
 * those the base image already has.
 */
final class RequestParser {
    private final PackageIndex index;
    private final Set<String> excludes;
    private final Map<String, DebianVersion> installed;
    private final List<String> problems;

    RequestParser(
            PackageIndex index, Set<String> excludes, Map<String, DebianVersion> installed, List<String> problems) {
        this.index = index;
        this.excludes = excludes;
        this.installed = installed;
        this.problems = problems;
    }

    List<Request> parse(List<String> entries) {
        Map<String, String> entryByName = new LinkedHashMap<>();
        List<Request> requests = new ArrayList<>();
        for (String raw : entries) {
            String entry = raw.strip();
            int equals = entry.indexOf('=');
            String name = (equals < 0 ? entry : entry.substring(0, equals)).strip();
            String pin = equals < 0 ? null : entry.substring(equals + 1).strip();
            if (name.isEmpty() || (pin != null && pin.isEmpty())) {
                problems.add("<packages>: '" + raw + "' is neither 'name' nor 'name=version'."
                        + " Write e.g. curl or curl=7.88.1-10+deb12u5");
                continue;
            }
            String earlier = entryByName.putIfAbsent(name, entry);
            if (earlier != null) {
                if (!earlier.equals(entry)) {
                    problems.add("<packages> lists both '" + earlier + "' and '" + entry + "'. Keep one of them");
                }
                continue;
            }
            if (excludes.contains(name)) {
                problems.add("'" + name + "' is in both <packages> and <excludes>. Remove it from one of them");
                continue;
            }
            Request request = pin == null ? unpinned(name) : pinned(name, pin, entry);
            if (request != null) {
                requests.add(request);
            }
        }
        return requests;
    }

    private Request unpinned(String name) {
        if (installed.containsKey(name)) {
            return null;
        }
        if (index.candidate(name).isEmpty() && index.providers(name).isEmpty()) {
            problems.add("no package '" + name + "' in " + index.where() + ". Check the name in <packages>,"
                    + " e.g. at https://packages.debian.org/search?keywords=" + name);
            return null;
        }
        return new Request(name, null);
    }

    private Request pinned(String name, String pin, String entry) {
        DebianVersion version;
        try {
            version = DebianVersion.parse(pin);
        } catch (IllegalArgumentException e) {
            problems.add("<packages>: '" + entry + "' pins " + e.getMessage());
            return null;
        }
        DebianVersion installedVersion = installed.get(name);
        if (installedVersion != null) {
            if (!installedVersion.equals(version)) {
                problems.add("<packages> pins '" + entry + "' but the base image has " + name + " "
                        + installedVersion + " installed, and installed packages are never replaced."
                        + " Pin " + name + "=" + installedVersion + " or write just " + name);
            }
            return null;
        }
        List<PackageVersion> versions = index.versions(name);
        for (PackageVersion candidate : versions) {
            if (candidate.version().equals(version)) {
                return new Request(name, candidate);
            }
        }
        if (versions.isEmpty()) {
            problems.add("no package '" + name + "' in " + index.where() + ". Check the name in '" + entry
                    + "' in <packages>, e.g. at https://packages.debian.org/search?keywords=" + name);
        } else {
            problems.add("no version " + pin + " of '" + name + "' in " + index.where() + "; there "
                    + (versions.size() == 1 ? "is " : "are ")
                    + String.join(
                            ", ",
                            versions.stream()
                                    .map(v -> v.version() + " (" + v.stanza().suite() + ")")
                                    .toList())
                    + ". Fix '" + entry + "' in <packages>: pin one of those or write just " + name);
        }
        return null;
    }
}
