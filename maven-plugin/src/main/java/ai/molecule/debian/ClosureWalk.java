package ai.molecule.debian;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;

/**
 * One run of the {@link Resolver}: selects the roots, then follows {@code Pre-Depends} and {@code
 * Depends} breadth first, so each chain is a shortest one. Problems are collected, not thrown at the
 * first, so the user sees them all.
 */
final class ClosureWalk {
    static final List<String> FOLLOWED_FIELDS = List.of("Pre-Depends", "Depends");
    // Binary packages carry no build profiles; with none active, profile-restricted relations drop out.
    static final Set<String> NO_PROFILES = Set.of();

    private final PackageIndex index;
    private final ResolutionRequest request;
    private final Set<String> excludes;
    private final Map<String, DebianVersion> installed = new HashMap<>();
    private final Map<String, PackageVersion> pinned = new HashMap<>();
    private final Map<String, Selection> selected = new LinkedHashMap<>();
    private final Queue<String> queue = new ArrayDeque<>();
    private final List<String> problems = new ArrayList<>();

    /** A package of the closure and why it is there. */
    record Selection(PackageVersion version, Chain chain) {}

    ClosureWalk(PackageIndex index, ResolutionRequest request) {
        this.index = index;
        this.request = request;
        this.excludes = new HashSet<>(request.excludes());
    }

    Resolution run() throws ResolutionException {
        readInstalled();
        List<Request> requests = new RequestParser(index, excludes, installed, problems).parse(request.packages());
        requests.stream().filter(r -> r.pinned() != null).forEach(r -> pinned.put(r.name(), r.pinned()));
        for (Request requested : requests) {
            selectRequested(requested);
        }
        if (request.includeRequired()) {
            for (PackageVersion required : index.required()) {
                if (!excludes.contains(required.name()) && !installed.containsKey(required.name())) {
                    select(effective(required.name()), Chain.required(required.name()));
                }
            }
        }
        while (!queue.isEmpty()) {
            Selection next = selected.get(queue.remove());
            for (String field : FOLLOWED_FIELDS) {
                for (Alternatives group : relations(next.version(), field)) {
                    satisfy(next, field, group);
                }
            }
        }
        if (problems.isEmpty()) {
            problems.addAll(new ConflictCheck(index, selected, installed).violations());
        }
        if (!problems.isEmpty()) {
            throw new ResolutionException(problems);
        }
        List<PackageStanza> closure = selected.values().stream()
                .map(selection -> selection.version().stanza())
                .sorted(Comparator.comparing(PackageStanza::name))
                .toList();
        Map<String, Chain> chains = new HashMap<>();
        selected.forEach((name, selection) -> chains.put(name, selection.chain()));
        return new Resolution(closure, chains);
    }

    private void readInstalled() {
        request.installed().entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .forEach(entry -> {
                    try {
                        installed.put(entry.getKey(), DebianVersion.parse(entry.getValue()));
                    } catch (IllegalArgumentException e) {
                        problems.add("the base image's dpkg status lists " + entry.getKey() + " at a version dpkg"
                                + " would refuse: " + e.getMessage() + ". Use a base image with an intact"
                                + " /var/lib/dpkg/status");
                    }
                });
    }

    private void selectRequested(Request requested) {
        if (requested.pinned() != null) {
            select(requested.pinned(), Chain.requested(requested.name()));
            return;
        }
        Optional<PackageVersion> candidate = candidate(requested.name());
        if (candidate.isPresent()) {
            select(candidate.get(), Chain.requested(requested.name()));
            return;
        }
        // A virtual name: stand in a provider, chosen as for a dependency on it.
        Relation virtual = new Relation(requested.name(), "", VersionConstraint.NONE, List.of(), List.of());
        if (isPresent(virtual)) {
            return;
        }
        List<Provision> usable = usableProviders(virtual);
        if (usable.isEmpty()) {
            problems.add("'" + requested.name() + "' in <packages> is a virtual package and every package"
                    + " that provides it is in <excludes> or installed in another version: "
                    + String.join(
                            ", ",
                            index.providers(requested.name()).stream()
                                    .map(provision -> provision.provider().name())
                                    .distinct()
                                    .toList())
                    + ". Request one provider by name in <packages> or remove it from <excludes>");
        } else {
            select(usable.get(0).provider(), Chain.requested(requested.name()));
        }
    }

    private void select(PackageVersion version, Chain chain) {
        if (selected.putIfAbsent(version.name(), new Selection(version, chain)) == null) {
            queue.add(version.name());
        }
    }

    /** The version this run installs for a name: the pinned one, else {@link #candidate}. */
    private PackageVersion effective(String name) {
        PackageVersion pin = pinned.get(name);
        return pin != null ? pin : candidate(name).orElse(null);
    }

    /** The preferred (previously locked) version while the index still has it, else the index's candidate. */
    private Optional<PackageVersion> candidate(String name) {
        String preferred = request.preferred().get(name);
        if (preferred != null) {
            for (PackageVersion version : index.versions(name)) {
                if (version.version().toString().equals(preferred)) {
                    return Optional.of(version);
                }
            }
        }
        return index.candidate(name);
    }

    private List<Alternatives> relations(PackageVersion version, String field) {
        try {
            return Relation.parseField(version.stanza().field(field));
        } catch (IllegalArgumentException e) {
            problems.add(version + " has a " + field + " field dpkg would refuse: " + e.getMessage() + ". Exclude "
                    + version.name() + " in <excludes> or pin another version of it");
            return List.of();
        }
    }

    private void satisfy(Selection dependent, String field, Alternatives group) {
        List<Relation> options = group.options().stream()
                .filter(option -> option.appliesTo(index.architecture(), NO_PROFILES))
                .toList();
        if (options.isEmpty() || options.stream().anyMatch(this::isPresent)) {
            return;
        }
        List<Unmet> unmet = new ArrayList<>();
        Chain chain = dependent.chain().then(dependent.version(), field, group);
        for (Relation option : options) {
            Optional<PackageVersion> choice = choose(option, unmet);
            if (choice.isPresent()) {
                select(choice.get(), chain);
                return;
            }
        }
        problems.add("cannot install '" + chain.root() + "': " + chain.path() + " → "
                + String.join("; ", unmet.stream().map(Unmet::text).toList()) + ". "
                + unmet.get(0).fix(chain, new Alternatives(options)));
    }

    /** Whether something selected or installed already meets the relation, itself or by Provides. */
    private boolean isPresent(Relation option) {
        if (!option.allowsArchitecture(index.architecture())) {
            return false;
        }
        Selection same = selected.get(option.name());
        if (same != null
                && option.satisfiedBy(same.version().name(), same.version().version())) {
            return true;
        }
        DebianVersion installedVersion = installed.get(option.name());
        if (installedVersion != null && option.satisfiedBy(option.name(), installedVersion)) {
            return true;
        }
        for (Provision provision : index.providers(option.name())) {
            String provider = provision.provider().name();
            Selection selection = selected.get(provider);
            boolean providerSelected = selection != null && selection.version() == provision.provider();
            // An installed package provides what the index's stanza of the same version provides.
            boolean providerInstalled = provision.provider().version().equals(installed.get(provider));
            if ((providerSelected || providerInstalled) && provision.satisfies(option)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The package to install for one alternative: its own candidate if that fits, else a provider.
     * When several providers fit, the first in name order is taken, so the choice is deterministic
     * (apt would ask); one already selected or installed was taken earlier by {@link #isPresent}.
     */
    private Optional<PackageVersion> choose(Relation option, List<Unmet> unmet) {
        String name = option.name();
        if (!option.allowsArchitecture(index.architecture())) {
            unmet.add(Unmet.missing(option + " asks for " + option.archQualifier() + ", not " + index.architecture()));
            return Optional.empty();
        }
        DebianVersion installedVersion = installed.get(name);
        PackageVersion real = effective(name);
        if (installedVersion != null) {
            unmet.add(Unmet.installed(name + " " + installedVersion + " (installed in the base image) is "
                    + mismatch(option.constraint(), installedVersion)));
        } else if (real != null && excludes.contains(name)) {
            unmet.add(Unmet.excluded(name));
        } else if (real != null && option.satisfiedBy(name, real.version())) {
            return Optional.of(real);
        } else if (real != null) {
            String pin = pinned.containsKey(name) ? ", pinned in <packages>" : "";
            unmet.add(Unmet.missing(name + " " + real.version() + " ("
                    + real.stanza().suite() + pin + ") is " + mismatch(option.constraint(), real.version())));
        }
        List<Provision> usable = usableProviders(option);
        if (!usable.isEmpty()) {
            return Optional.of(usable.get(0).provider());
        }
        List<Provision> providers = effectiveProviders(name);
        if (!providers.isEmpty()) {
            unmet.add(Unmet.missing(String.join(
                    "; ",
                    providers.stream()
                            .map(provision -> whyNotUsable(provision, option))
                            .toList())));
        } else if (real == null && installedVersion == null) {
            unmet.add(
                    excludes.contains(name)
                            ? Unmet.excluded(name)
                            : Unmet.missing("no package '" + name + "' in " + index.where()));
        }
        return Optional.empty();
    }

    private List<Provision> usableProviders(Relation option) {
        return effectiveProviders(option.name()).stream()
                .filter(provision -> !excludes.contains(provision.provider().name()))
                .filter(provision -> provision.satisfies(option))
                .toList();
    }

    /** Provides of the versions this run would install; installed providers cannot be installed again. */
    private List<Provision> effectiveProviders(String name) {
        return index.providers(name).stream()
                .filter(provision ->
                        provision.provider() == effective(provision.provider().name()))
                .filter(provision -> !installed.containsKey(provision.provider().name()))
                .toList();
    }

    private String whyNotUsable(Provision provision, Relation option) {
        if (excludes.contains(provision.provider().name())) {
            return provision.provider().name() + " (provides " + option.name() + ") is in <excludes>";
        }
        if (provision.version() == null) {
            return provision.provider() + " provides " + option.name() + " without a version";
        }
        return provision.provider() + " provides " + option.name() + " " + provision.version() + ", "
                + mismatch(option.constraint(), provision.version());
    }

    private static String mismatch(VersionConstraint constraint, DebianVersion actual) {
        return switch (constraint.operator()) {
            case EARLIER, EARLIER_OR_EQUAL -> "too new";
            case LATER, LATER_OR_EQUAL -> "too old";
            case EQUAL -> "not " + constraint.version();
            case ANY -> "unusable";
        };
    }
}
