package ai.molecule.debian;

import java.util.Objects;

/**
 * A Debian package version, {@code [epoch:]upstream[-revision]}, ordered exactly as {@code dpkg
 * --compare-versions} orders it. Two versions dpkg considers equal ({@code 0:1.0} and {@code 1.0},
 * {@code 1.01} and {@code 1.1}) are {@link #equals equal} here too; {@link #toString()} keeps the
 * text as written.
 */
public final class DebianVersion implements Comparable<DebianVersion> {
    private final String text;
    private final int epoch;
    private final String upstream;
    private final String revision;

    private DebianVersion(String text, int epoch, String upstream, String revision) {
        this.text = text;
        this.epoch = epoch;
        this.upstream = upstream;
        this.revision = revision;
    }

    /**
     * Parses a version with dpkg's rules: numeric epoch, upstream starting with a digit and made of
     * alphanumerics and {@code . + ~ - :}, revision (after the last hyphen) of alphanumerics and
     * {@code . + ~}.
     *
     * @throws IllegalArgumentException naming the version and what is wrong with it
     */
    public static DebianVersion parse(String text) {
        if (text == null || text.isEmpty()) {
            throw invalid(text, "it is empty");
        }
        for (int i = 0; i < text.length(); i++) {
            if (Character.isWhitespace(text.charAt(i))) {
                throw invalid(text, "it contains whitespace");
            }
        }
        int colon = text.indexOf(':');
        int epoch = 0;
        if (colon >= 0) {
            epoch = parseEpoch(text, text.substring(0, colon));
        }
        String rest = text.substring(colon + 1);
        int hyphen = rest.lastIndexOf('-');
        String upstream = hyphen >= 0 ? rest.substring(0, hyphen) : rest;
        String revision = hyphen >= 0 ? rest.substring(hyphen + 1) : "";
        if (upstream.isEmpty()) {
            throw invalid(text, "the upstream part is empty");
        }
        if (!isDigit(upstream.charAt(0))) {
            throw invalid(text, "the upstream part '" + upstream + "' does not start with a digit");
        }
        if (hyphen >= 0 && revision.isEmpty()) {
            throw invalid(text, "the revision after the last '-' is empty");
        }
        checkCharacters(text, upstream, ".+~-:", "upstream part");
        checkCharacters(text, revision, ".+~", "revision");
        return new DebianVersion(text, epoch, upstream, revision);
    }

    public int epoch() {
        return epoch;
    }

    public String upstream() {
        return upstream;
    }

    /** {@code ""} for a native package without a revision. */
    public String revision() {
        return revision;
    }

    @Override
    public int compareTo(DebianVersion other) {
        int byEpoch = Integer.compare(epoch, other.epoch);
        if (byEpoch != 0) {
            return byEpoch;
        }
        int byUpstream = compareParts(upstream, other.upstream);
        return byUpstream != 0 ? byUpstream : compareParts(revision, other.revision);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof DebianVersion version && compareTo(version) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(epoch, withoutLeadingZeros(upstream), withoutLeadingZeros(revision));
    }

    @Override
    public String toString() {
        return text;
    }

    /**
     * dpkg's {@code verrevcmp}: alternate runs of non-digits (compared character by character with
     * {@link #order}) and digits (compared as numbers, so leading zeros do not count).
     */
    static int compareParts(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() || j < b.length()) {
            while ((i < a.length() && !isDigit(a.charAt(i))) || (j < b.length() && !isDigit(b.charAt(j)))) {
                int byCharacter = Integer.compare(order(a, i), order(b, j));
                if (byCharacter != 0) {
                    return byCharacter;
                }
                i++;
                j++;
            }
            while (i < a.length() && a.charAt(i) == '0') {
                i++;
            }
            while (j < b.length() && b.charAt(j) == '0') {
                j++;
            }
            int firstDifference = 0;
            while (i < a.length() && isDigit(a.charAt(i)) && j < b.length() && isDigit(b.charAt(j))) {
                if (firstDifference == 0) {
                    firstDifference = Integer.compare(a.charAt(i), b.charAt(j));
                }
                i++;
                j++;
            }
            if (i < a.length() && isDigit(a.charAt(i))) {
                return 1;
            }
            if (j < b.length() && isDigit(b.charAt(j))) {
                return -1;
            }
            if (firstDifference != 0) {
                return firstDifference;
            }
        }
        return 0;
    }

    /** '~' before the end of the string (and digits), the end before letters, letters before other characters. */
    private static int order(String s, int index) {
        if (index >= s.length()) {
            return 0;
        }
        char c = s.charAt(index);
        if (isDigit(c)) {
            return 0;
        }
        if (isLetter(c)) {
            return c;
        }
        return c == '~' ? -1 : c + 256;
    }

    /** Equal under {@link #compareParts} implies equal here, which is all {@link #hashCode} needs. */
    private static String withoutLeadingZeros(String part) {
        StringBuilder normal = new StringBuilder(part.length());
        int i = 0;
        while (i < part.length()) {
            if (part.charAt(i) == '0' && (i == 0 || !isDigit(part.charAt(i - 1)))) {
                while (i < part.length() && part.charAt(i) == '0') {
                    i++;
                }
            } else {
                normal.append(part.charAt(i++));
            }
        }
        return normal.toString();
    }

    private static int parseEpoch(String text, String epoch) {
        if (epoch.isEmpty()) {
            throw invalid(text, "the epoch before ':' is empty");
        }
        for (int i = 0; i < epoch.length(); i++) {
            if (!isDigit(epoch.charAt(i))) {
                throw invalid(text, "the epoch '" + epoch + "' is not a number");
            }
        }
        try {
            return Integer.parseInt(epoch);
        } catch (NumberFormatException e) {
            throw invalid(text, "the epoch '" + epoch + "' is too large");
        }
    }

    private static void checkCharacters(String text, String part, String allowedPunctuation, String what) {
        for (int i = 0; i < part.length(); i++) {
            char c = part.charAt(i);
            if (!isDigit(c) && !isLetter(c) && allowedPunctuation.indexOf(c) < 0) {
                throw invalid(
                        text,
                        "the " + what + " contains '" + c + "'; only letters, digits and '"
                                + String.join("' '", allowedPunctuation.split("")) + "' are allowed there");
            }
        }
    }

    private static IllegalArgumentException invalid(String text, String reason) {
        return new IllegalArgumentException("'" + text + "' is not a Debian version: " + reason
                + ". Write [epoch:]upstream[-revision], e.g. 1:2.38.1-5+deb12u1");
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }
}
