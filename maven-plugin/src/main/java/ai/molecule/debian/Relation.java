package ai.molecule.debian;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One package named in a relationship field ({@code Depends}, {@code Pre-Depends}, {@code
 * Conflicts}, {@code Breaks}, {@code Provides}):
 * {@code name[:archqual] [(op version)] [[arch list]] [<build profiles>]}.
 *
 * @param archQualifier {@code ""}, {@code any}, {@code native} or an architecture name
 * @param architectures the {@code [amd64 !i386]} restriction, empty when there is none
 * @param profiles the {@code <!nocheck> <stage1 cross>} restriction: any one group whose terms all
 *     hold enables the relation; empty when there is none
 */
public record Relation(
        String name,
        String archQualifier,
        VersionConstraint constraint,
        List<String> architectures,
        List<List<String>> profiles) {

    private static final Pattern SYNTAX = Pattern.compile("([a-z0-9][a-z0-9+.-]*)(?::([a-z0-9-]+))?\\s*"
            + "(?:\\(\\s*(<<|<=|>=|>>|=|<|>)\\s*([^()\\s]+)\\s*\\))?\\s*"
            + "(?:\\[([^\\[\\]]*)])?\\s*"
            + "((?:<[^<>]*>\\s*)*)");
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    public Relation {
        architectures = List.copyOf(architectures);
        profiles = profiles.stream().map(List::copyOf).toList();
    }

    /**
     * Parses a whole relationship field: comma-separated groups of {@code |}-separated alternatives.
     * An empty field has no groups.
     *
     * @throws IllegalArgumentException naming the entry that is not a relation
     */
    public static List<Alternatives> parseField(String field) {
        if (field.isBlank()) {
            return List.of();
        }
        List<Alternatives> groups = new ArrayList<>();
        for (String group : field.split(",", -1)) {
            List<Relation> options = new ArrayList<>();
            for (String option : group.split("\\|", -1)) {
                options.add(parse(option));
            }
            groups.add(new Alternatives(options));
        }
        return List.copyOf(groups);
    }

    /**
     * Parses a {@code Provides} field: plain names, each optionally with {@code (= version)}; no
     * alternatives and no other operators, as dpkg requires.
     */
    public static List<Relation> parseProvides(String field) {
        List<Relation> provided = new ArrayList<>();
        for (Alternatives group : parseField(field)) {
            if (group.options().size() > 1) {
                throw new IllegalArgumentException(
                        "Provides entry '" + group + "' has alternatives; a package provides each name outright");
            }
            Relation relation = group.options().get(0);
            VersionConstraint.Operator operator = relation.constraint().operator();
            if (operator != VersionConstraint.Operator.ANY && operator != VersionConstraint.Operator.EQUAL) {
                throw new IllegalArgumentException("Provides entry '" + relation + "' uses " + operator.symbol()
                        + "; only '=' may version a Provides");
            }
            provided.add(relation);
        }
        return List.copyOf(provided);
    }

    /** Parses a single relation, e.g. {@code libc6 (>= 2.36)} or {@code python3:any}. */
    public static Relation parse(String text) {
        String relation = text.strip();
        Matcher matcher = SYNTAX.matcher(relation);
        if (!matcher.matches()) {
            throw new IllegalArgumentException("'" + relation + "' is not a Debian relation. Write"
                    + " name[:arch] [(op version)] [[arch ...]] [<profile ...>] with a lower-case name"
                    + " and one of << <= = >= >>, e.g. libc6 (>= 2.36)");
        }
        VersionConstraint constraint = matcher.group(3) == null
                ? VersionConstraint.NONE
                : new VersionConstraint(
                        VersionConstraint.Operator.of(matcher.group(3)), DebianVersion.parse(matcher.group(4)));
        String qualifier = matcher.group(2) == null ? "" : matcher.group(2);
        return new Relation(
                matcher.group(1),
                qualifier,
                constraint,
                architectures(relation, matcher.group(5)),
                profiles(matcher.group(6)));
    }

    /**
     * Whether a package of this name at this version meets the relation. {@code version} is {@code
     * null} for a name provided without a version, which meets only an unversioned relation.
     */
    public boolean satisfiedBy(String packageName, DebianVersion version) {
        if (!name.equals(packageName)) {
            return false;
        }
        return version == null ? !constraint.isVersioned() : constraint.allows(version);
    }

    /**
     * Whether a package built for {@code architecture} can meet the {@code :archqual}: {@code :any}
     * and {@code :native} can, an explicit other architecture cannot.
     */
    public boolean allowsArchitecture(String architecture) {
        return archQualifier.isEmpty()
                || archQualifier.equals("any")
                || archQualifier.equals("native")
                || archQualifier.equals(architecture);
    }

    /** Whether the {@code [arch]} and {@code <profile>} restrictions keep this relation on {@code architecture}. */
    public boolean appliesTo(String architecture, Set<String> activeProfiles) {
        return appliesToArchitecture(architecture) && appliesToProfiles(activeProfiles);
    }

    /** As Debian writes it, e.g. {@code libbar (>= 2.0)}. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder(name);
        if (!archQualifier.isEmpty()) {
            text.append(':').append(archQualifier);
        }
        if (constraint.isVersioned()) {
            text.append(' ').append(constraint);
        }
        if (!architectures.isEmpty()) {
            text.append(" [").append(String.join(" ", architectures)).append(']');
        }
        for (List<String> group : profiles) {
            text.append(" <").append(String.join(" ", group)).append('>');
        }
        return text.toString();
    }

    private boolean appliesToArchitecture(String architecture) {
        if (architectures.isEmpty()) {
            return true;
        }
        boolean negated = architectures.get(0).startsWith("!");
        boolean listed = architectures.stream()
                .anyMatch(entry -> ArchitectureWildcard.matches(architecture, negated ? entry.substring(1) : entry));
        return negated != listed;
    }

    private boolean appliesToProfiles(Set<String> active) {
        return profiles.isEmpty()
                || profiles.stream()
                        .anyMatch(group -> group.stream()
                                .allMatch(term -> term.startsWith("!")
                                        ? !active.contains(term.substring(1))
                                        : active.contains(term)));
    }

    private static List<String> architectures(String relation, String list) {
        if (list == null) {
            return List.of();
        }
        List<String> entries = splitWords(list);
        long negated = entries.stream().filter(entry -> entry.startsWith("!")).count();
        if (entries.isEmpty() || (negated != 0 && negated != entries.size())) {
            throw new IllegalArgumentException("'" + relation + "' has an architecture list that is empty or mixes"
                    + " 'arch' with '!arch'; dpkg accepts only all positive or all negated entries");
        }
        return entries;
    }

    private static List<List<String>> profiles(String formula) {
        if (formula == null || formula.isBlank()) {
            return List.of();
        }
        List<List<String>> groups = new ArrayList<>();
        for (String group : formula.strip().split(">\\s*")) {
            groups.add(splitWords(group.substring(group.indexOf('<') + 1)));
        }
        return groups;
    }

    private static List<String> splitWords(String text) {
        return Arrays.stream(WHITESPACE.split(text.strip()))
                .filter(word -> !word.isEmpty())
                .toList();
    }
}
