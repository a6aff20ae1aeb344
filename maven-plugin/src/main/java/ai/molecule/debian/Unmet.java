package ai.molecule.debian;

/** Why one alternative of a dependency cannot be installed, and so which fix to suggest. */
record Unmet(Kind kind, String name, String text) {

    enum Kind {
        EXCLUDED,
        INSTALLED,
        MISSING
    }

    static Unmet excluded(String name) {
        return new Unmet(Kind.EXCLUDED, name, name + " is in <excludes>");
    }

    static Unmet installed(String text) {
        return new Unmet(Kind.INSTALLED, "", text);
    }

    static Unmet missing(String text) {
        return new Unmet(Kind.MISSING, "", text);
    }

    /** The fix for a dependency whose first alternative failed this way. */
    String fix(Chain chain, Alternatives wanted) {
        String removal = chain.removal();
        String capitalized = Character.toUpperCase(removal.charAt(0)) + removal.substring(1);
        return switch (kind) {
            case EXCLUDED -> "Remove " + name + " from <excludes>, or " + removal;
            case INSTALLED -> capitalized + ", or use a base image that has " + wanted;
            case MISSING -> capitalized + ", pin another version, or add a suite that has " + wanted;
        };
    }
}
