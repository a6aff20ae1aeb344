package ai.molecule.debian;

import java.util.List;

/** One comma-separated group of a relationship field: {@code a | b (>= 2) | c}, met by any one option. */
public record Alternatives(List<Relation> options) {

    public Alternatives {
        options = List.copyOf(options);
        if (options.isEmpty()) {
            throw new IllegalArgumentException("a relationship group needs at least one package");
        }
    }

    public boolean satisfiedBy(String name, DebianVersion version) {
        return options.stream().anyMatch(option -> option.satisfiedBy(name, version));
    }

    @Override
    public String toString() {
        return String.join(" | ", options.stream().map(Relation::toString).toList());
    }
}
