package ai.molecule.debian;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds {@code Conflicts} and {@code Breaks} between packages of the closure, and between the
 * closure and the installed packages, in both directions. Installed packages are not checked
 * against each other: the base image is taken as consistent.
 */
final class ConflictCheck {
    private static final List<String> FIELDS = List.of("Conflicts", "Breaks");

    /**
     * A package that will be on the image: selected, or installed ({@code selection} null, {@code
     * indexed} null when the index lacks that exact version, so its own relations are unknown).
     */
    private record Member(String name, DebianVersion version, PackageVersion indexed, ClosureWalk.Selection selection) {
        boolean isInstalled() {
            return selection == null;
        }

        String describe() {
            return isInstalled() ? name + " " + version + " (installed in the base image)" : indexed.toString();
        }

        String why() {
            return isInstalled()
                    ? name + " is installed in the base image"
                    : name + " is there because " + selection.chain();
        }
    }

    private final PackageIndex index;
    private final List<Member> members = new ArrayList<>();
    private final Map<String, Member> byName = new HashMap<>();
    private final Map<String, List<Provided>> byProvidedName = new HashMap<>();
    private final List<String> violations = new ArrayList<>();

    private record Provided(Member member, Provision provision) {}

    ConflictCheck(
            PackageIndex index, Map<String, ClosureWalk.Selection> selected, Map<String, DebianVersion> installed) {
        this.index = index;
        selected.values()
                .forEach(selection -> add(new Member(
                        selection.version().name(), selection.version().version(), selection.version(), selection)));
        installed.forEach((name, version) -> add(new Member(name, version, indexed(name, version), null)));
        members.sort(Comparator.comparing(Member::name));
        for (Member member : members) {
            for (Provision provision : provisions(member)) {
                byProvidedName
                        .computeIfAbsent(provision.name(), name -> new ArrayList<>())
                        .add(new Provided(member, provision));
            }
        }
    }

    List<String> violations() {
        Set<String> reportedPairs = new HashSet<>();
        for (Member member : members) {
            if (member.indexed() == null) {
                continue;
            }
            for (String field : FIELDS) {
                for (Relation relation : relations(member, field)) {
                    for (Member other : matches(member, relation)) {
                        String pair = member.name().compareTo(other.name()) < 0
                                ? member.name() + " " + other.name()
                                : other.name() + " " + member.name();
                        if (reportedPairs.add(pair)) {
                            violations.add(message(member, field, relation, other));
                        }
                    }
                }
            }
        }
        return violations;
    }

    /** Members other than {@code member} that {@code relation} names, by name or by Provides. */
    private List<Member> matches(Member member, Relation relation) {
        List<Member> matched = new ArrayList<>();
        Member same = byName.get(relation.name());
        if (same != null && counts(member, same) && relation.satisfiedBy(same.name(), same.version())) {
            matched.add(same);
        }
        for (Provided provided : byProvidedName.getOrDefault(relation.name(), List.of())) {
            if (counts(member, provided.member())
                    && provided.provision().satisfies(relation)
                    && !matched.contains(provided.member())) {
                matched.add(provided.member());
            }
        }
        return matched;
    }

    /** A package that conflicts with what it provides itself is the usual pattern, not a clash. */
    private static boolean counts(Member member, Member other) {
        return other != member && !(member.isInstalled() && other.isInstalled());
    }

    private List<Relation> relations(Member member, String field) {
        List<Relation> relations = new ArrayList<>();
        try {
            for (Alternatives group :
                    Relation.parseField(member.indexed().stanza().field(field))) {
                for (Relation option : group.options()) {
                    if (option.appliesTo(index.architecture(), ClosureWalk.NO_PROFILES)
                            && option.allowsArchitecture(index.architecture())) {
                        relations.add(option);
                    }
                }
            }
        } catch (IllegalArgumentException e) {
            violations.add(member.describe() + " has a " + field + " field dpkg would refuse: " + e.getMessage()
                    + ". Exclude " + member.name() + " in <excludes> or pin another version of it");
            return List.of();
        }
        return relations;
    }

    private static String message(Member member, String field, Relation relation, Member other) {
        return "'" + member.name() + "' and '" + other.name() + "' cannot be installed together: "
                + member.describe() + " → " + field + ": " + relation + " matches " + other.describe() + ". "
                + member.why() + "; " + other.why() + ". Drop one of them: remove what asks for it from"
                + " <packages>, or add it to <excludes> so that an alternative is chosen";
    }

    private void add(Member member) {
        members.add(member);
        byName.put(member.name(), member);
    }

    /** The index's stanza of an installed package, when the index has that exact version. */
    private PackageVersion indexed(String name, DebianVersion version) {
        return index.versions(name).stream()
                .filter(candidate -> candidate.version().equals(version))
                .findFirst()
                .orElse(null);
    }

    private static List<Provision> provisions(Member member) {
        if (member.indexed() == null) {
            return List.of();
        }
        return Relation.parseProvides(member.indexed().stanza().field("Provides")).stream()
                .map(provided -> new Provision(
                        member.indexed(), provided.name(), provided.constraint().version()))
                .toList();
    }
}
