package ai.molecule.debian;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Packages indexes of all suites, indexed once by package name and by provided name. For each
 * name the versions are kept in precedence order, the first being the candidate: the highest version
 * first, as apt orders suites of equal pin priority; among equal versions the earlier suite first
 * ({@code bookworm-security} over {@code bookworm-updates} over {@code bookworm}).
 *
 * <p>Suite order alone must not decide: {@code bookworm-security} keeps the builds it published, and
 * once a point release carries a later fix in {@code bookworm} (curl {@code 7.88.1-10+deb12u15}
 * there, {@code +deb12u5} in security, in 2025) the security build is the older one.
 */
public final class PackageIndex {
    private final List<String> suites;
    private final String architecture;
    private final Map<String, List<PackageVersion>> byName;
    private final Map<String, List<Provision>> byProvidedName;
    private final List<PackageVersion> required;

    private PackageIndex(
            List<String> suites,
            String architecture,
            Map<String, List<PackageVersion>> byName,
            Map<String, List<Provision>> byProvidedName,
            List<PackageVersion> required) {
        this.suites = suites;
        this.architecture = architecture;
        this.byName = byName;
        this.byProvidedName = byProvidedName;
        this.required = required;
    }

    /**
     * @param suites in precedence order for equal versions, e.g. {@link DebianSpec#suites()}; every
     *     stanza's suite must be one
     * @param stanzas all suites' stanzas; those of other architectures than {@code architecture} and
     *     {@code all} are left out
     * @throws ResolutionException when a stanza of the index has no name or a version dpkg would refuse
     */
    public static PackageIndex of(List<String> suites, String architecture, List<PackageStanza> stanzas)
            throws ResolutionException {
        Map<String, Integer> rank = new HashMap<>();
        for (String suite : suites) {
            rank.putIfAbsent(suite, rank.size());
        }
        Map<String, List<PackageVersion>> byName = new HashMap<>();
        List<String> problems = new ArrayList<>();
        for (PackageStanza stanza : stanzas) {
            if (!rank.containsKey(stanza.suite())) {
                throw new IllegalArgumentException(
                        "stanza of suite " + stanza.suite() + " given, but the suites are " + suites);
            }
            String arch = stanza.architecture();
            if (!architecture.equals(arch) && !"all".equals(arch)) {
                continue;
            }
            PackageVersion version = parse(stanza, problems);
            if (version != null) {
                byName.computeIfAbsent(stanza.name(), name -> new ArrayList<>(1))
                        .add(version);
            }
        }
        Comparator<PackageVersion> precedence = Comparator.comparing(PackageVersion::version, Comparator.reverseOrder())
                .thenComparingInt(version -> rank.get(version.stanza().suite()));
        Map<String, List<Provision>> byProvidedName = new HashMap<>();
        List<PackageVersion> required = new ArrayList<>();
        for (List<PackageVersion> versions : byName.values()) {
            versions.sort(precedence);
            for (PackageVersion version : versions) {
                for (Provision provision : provisions(version, problems)) {
                    byProvidedName
                            .computeIfAbsent(provision.name(), name -> new ArrayList<>(2))
                            .add(provision);
                }
            }
            if (isRequired(versions.get(0).stanza())) {
                required.add(versions.get(0));
            }
        }
        if (!problems.isEmpty()) {
            throw new ResolutionException(problems);
        }
        // Providers in name order, the order choices are made in; the sort is stable, so each provider's
        // versions stay in the precedence order they were added in.
        byProvidedName
                .values()
                .forEach(provisions ->
                        provisions.sort(Comparator.comparing(p -> p.provider().name())));
        required.sort(Comparator.comparing(PackageVersion::name));
        return new PackageIndex(List.copyOf(suites), architecture, byName, byProvidedName, List.copyOf(required));
    }

    public List<String> suites() {
        return suites;
    }

    public String architecture() {
        return architecture;
    }

    /** The version installed when nothing pins another: the highest, from the earliest suite that has it. */
    public Optional<PackageVersion> candidate(String name) {
        List<PackageVersion> versions = byName.get(name);
        return versions == null ? Optional.empty() : Optional.of(versions.get(0));
    }

    /** Every version of a real package, in precedence order; empty for a purely virtual or unknown name. */
    public List<PackageVersion> versions(String name) {
        return List.copyOf(byName.getOrDefault(name, List.of()));
    }

    /** Every {@code Provides} of the name by any version of any package, providers in name order. */
    public List<Provision> providers(String name) {
        return List.copyOf(byProvidedName.getOrDefault(name, List.of()));
    }

    /** Candidates marked {@code Essential: yes} or {@code Priority: required}, in name order. */
    public List<PackageVersion> required() {
        return required;
    }

    /** {@code bookworm-security, bookworm-updates, bookworm (amd64)}: where a name was looked for. */
    public String where() {
        return String.join(", ", suites) + " (" + architecture + ")";
    }

    private static boolean isRequired(PackageStanza stanza) {
        return stanza.field("Essential").equals("yes")
                || stanza.field("Priority").equals("required");
    }

    private static PackageVersion parse(PackageStanza stanza, List<String> problems) {
        if (stanza.name() == null || stanza.version() == null) {
            problems.add(stanza.suite() + " Packages index from " + stanza.archive()
                    + " has a paragraph without Package or Version (fields "
                    + stanza.fields().keySet()
                    + "). Check that the archive URL points at a Debian archive");
            return null;
        }
        try {
            return new PackageVersion(stanza, DebianVersion.parse(stanza.version()));
        } catch (IllegalArgumentException e) {
            problems.add(damaged(stanza, "Version", e));
            return null;
        }
    }

    private static List<Provision> provisions(PackageVersion version, List<String> problems) {
        String field = version.stanza().field("Provides");
        if (field.isEmpty()) {
            return List.of();
        }
        try {
            List<Provision> provisions = new ArrayList<>();
            for (Relation provided : Relation.parseProvides(field)) {
                provisions.add(new Provision(
                        version, provided.name(), provided.constraint().version()));
            }
            return provisions;
        } catch (IllegalArgumentException e) {
            problems.add(damaged(version.stanza(), "Provides", e));
            return List.of();
        }
    }

    private static String damaged(PackageStanza stanza, String field, IllegalArgumentException e) {
        return stanza.suite() + " Packages index from " + stanza.archive() + ": package '" + stanza.name() + "' has a "
                + field + " dpkg would refuse: " + e.getMessage()
                + ". Check that the archive URL points at a Debian archive";
    }
}
