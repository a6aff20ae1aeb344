package ai.molecule.debian;

import java.util.ArrayList;
import java.util.List;

/**
 * Why a package is in the closure: which POM element asked for the root, then each dependency from
 * that root down to the package, e.g. {@code <packages> asks for docker.io: docker.io 20.10.24 →
 * Depends: containerd (>= 1.4.12)}. For the SBOM and for error messages.
 *
 * @param root the name the POM element gave (a virtual name when a provider stands in for it)
 * @param links each package on the way and the relation of it that was followed; empty for a root
 */
public record Chain(String root, Origin origin, List<Link> links) {

    public Chain {
        links = List.copyOf(links);
    }

    public static Chain requested(String name) {
        return new Chain(name, Origin.PACKAGES, List.of());
    }

    public static Chain required(String name) {
        return new Chain(name, Origin.REQUIRED, List.of());
    }

    /** This chain continued by {@code from}'s relation {@code field: group}. */
    public Chain then(PackageVersion from, String field, Alternatives group) {
        List<Link> longer = new ArrayList<>(links);
        longer.add(new Link(from.name(), from.version().toString(), field, group.toString()));
        return new Chain(root, origin, longer);
    }

    /** The links alone: {@code foo 1.0 → Depends: libbar (>= 2.0) → libbar 2.1 → Depends: libc6}. */
    public String path() {
        return String.join(" → ", links.stream().map(Link::toString).toList());
    }

    /** How to drop the root: {@code remove foo from <packages>} or {@code add foo to <excludes>}. */
    public String removal() {
        return origin.removal.formatted(root);
    }

    @Override
    public String toString() {
        return origin.reason.formatted(root) + (links.isEmpty() ? "" : ": " + path());
    }

    public enum Origin {
        PACKAGES("<packages> asks for %s", "remove %s from <packages>"),
        REQUIRED("<includeRequired> adds %s (Essential or Priority: required)", "add %s to <excludes>");

        private final String reason;
        private final String removal;

        Origin(String reason, String removal) {
            this.reason = reason;
            this.removal = removal;
        }
    }

    /** {@code foo 1.0 → Depends: libbar (>= 2.0)}: a package and the relation of it that was followed. */
    public record Link(String name, String version, String field, String relation) {
        @Override
        public String toString() {
            return name + " " + version + " → " + field + ": " + relation;
        }
    }
}
