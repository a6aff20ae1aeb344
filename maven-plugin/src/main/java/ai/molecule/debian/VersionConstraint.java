package ai.molecule.debian;

/**
 * The {@code (op version)} part of a relation, or {@link #NONE} when the relation names no version.
 *
 * @param version {@code null} exactly when the operator is {@link Operator#ANY}
 */
public record VersionConstraint(Operator operator, DebianVersion version) {

    public static final VersionConstraint NONE = new VersionConstraint(Operator.ANY, null);

    public VersionConstraint {
        if ((operator == Operator.ANY) != (version == null)) {
            throw new IllegalArgumentException("a version goes with every operator except ANY, got " + operator);
        }
    }

    public boolean isVersioned() {
        return operator != Operator.ANY;
    }

    public boolean allows(DebianVersion candidate) {
        if (operator == Operator.ANY) {
            return true;
        }
        int order = candidate.compareTo(version);
        return switch (operator) {
            case EARLIER -> order < 0;
            case EARLIER_OR_EQUAL -> order <= 0;
            case EQUAL -> order == 0;
            case LATER_OR_EQUAL -> order >= 0;
            case LATER -> order > 0;
            case ANY -> true;
        };
    }

    /** {@code (>= 2.0)} as Debian writes it, {@code ""} for {@link #NONE}. */
    @Override
    public String toString() {
        return isVersioned() ? "(" + operator.symbol() + " " + version + ")" : "";
    }

    public enum Operator {
        ANY(""),
        EARLIER("<<"),
        EARLIER_OR_EQUAL("<="),
        EQUAL("="),
        LATER_OR_EQUAL(">="),
        LATER(">>");

        private final String symbol;

        Operator(String symbol) {
            this.symbol = symbol;
        }

        public String symbol() {
            return symbol;
        }

        /** {@code <} and {@code >} are the obsolete spellings of {@code <=} and {@code >=}, as dpkg reads them. */
        static Operator of(String symbol) {
            return switch (symbol) {
                case "<<" -> EARLIER;
                case "<=", "<" -> EARLIER_OR_EQUAL;
                case "=" -> EQUAL;
                case ">=", ">" -> LATER_OR_EQUAL;
                case ">>" -> LATER;
                default -> throw new IllegalArgumentException("'" + symbol + "' is not a relation operator");
            };
        }
    }
}
