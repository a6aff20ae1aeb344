package ai.molecule.debian;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a closure on its own, without the resolver's reasoning: every {@code Pre-Depends} and
 * {@code Depends} of every package is met inside it, and no {@code Conflicts} or {@code Breaks}
 * matches another member.
 */
final class ClosureChecker {
    private final String architecture;
    private final Map<String, DebianVersion> versions = new HashMap<>();
    private final Map<String, List<Provision>> provided = new HashMap<>();
    private final List<PackageStanza> closure;

    ClosureChecker(List<PackageStanza> closure, String architecture) {
        this.closure = closure;
        this.architecture = architecture;
        for (PackageStanza stanza : closure) {
            PackageVersion version = new PackageVersion(stanza, DebianVersion.parse(stanza.version()));
            versions.put(stanza.name(), version.version());
            for (Relation relation : Relation.parseProvides(stanza.field("Provides"))) {
                provided.computeIfAbsent(relation.name(), name -> new ArrayList<>())
                        .add(new Provision(
                                version, relation.name(), relation.constraint().version()));
            }
        }
    }

    /** {@code pkg Depends: group} for each group nothing in the closure meets. */
    List<String> unmetDependencies() {
        List<String> unmet = new ArrayList<>();
        for (PackageStanza stanza : closure) {
            for (String field : List.of("Pre-Depends", "Depends")) {
                for (Alternatives group : Relation.parseField(stanza.field(field))) {
                    List<Relation> options = applicable(group);
                    if (!options.isEmpty() && options.stream().noneMatch(this::metByAnother)) {
                        unmet.add(stanza.name() + " " + field + ": " + group);
                    }
                }
            }
        }
        return unmet;
    }

    /** {@code pkg Conflicts: relation} for each relation that matches another member. */
    List<String> clashes() {
        List<String> clashes = new ArrayList<>();
        for (PackageStanza stanza : closure) {
            for (String field : List.of("Conflicts", "Breaks")) {
                for (Alternatives group : Relation.parseField(stanza.field(field))) {
                    for (Relation relation : applicable(group)) {
                        DebianVersion other = versions.get(relation.name());
                        boolean byName = !relation.name().equals(stanza.name())
                                && other != null
                                && relation.satisfiedBy(relation.name(), other);
                        boolean byProvides = provided.getOrDefault(relation.name(), List.of()).stream()
                                .anyMatch(p -> !p.provider().name().equals(stanza.name()) && p.satisfies(relation));
                        if (byName || byProvides) {
                            clashes.add(stanza.name() + " " + field + ": " + relation);
                        }
                    }
                }
            }
        }
        return clashes;
    }

    private List<Relation> applicable(Alternatives group) {
        return group.options().stream()
                .filter(option -> option.appliesTo(architecture, Set.of()) && option.allowsArchitecture(architecture))
                .toList();
    }

    private boolean metByAnother(Relation relation) {
        DebianVersion version = versions.get(relation.name());
        if (version != null && relation.satisfiedBy(relation.name(), version)) {
            return true;
        }
        return provided.getOrDefault(relation.name(), List.of()).stream().anyMatch(p -> p.satisfies(relation));
    }
}
