package ai.molecule.sbom;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.spdx.core.InvalidSPDXAnalysisException;
import org.spdx.library.LicenseInfoFactory;

/**
 * The licence a Debian package states in {@code /usr/share/doc/<package>/copyright}, when that file
 * is in the machine-readable format (DEP-5): the {@code License:} of each {@code Files:} paragraph,
 * its DEP-5 short names mapped to SPDX ids ({@code Expat} → {@code MIT}, {@code GPL-2+} → {@code
 * GPL-2.0-or-later}, {@code BSD-3-clause} → {@code BSD-3-Clause}) and joined with {@code AND}; a
 * name without an SPDX id ({@code public-domain}, {@code BSD-3-clause~Google}) becomes a {@code
 * LicenseRef-} of it, which the SPDX document explains. A {@code License:} that is no expression of
 * names (a licence's text where its name belongs) leaves the package's licence as Debian states it,
 * which the documents carry as a name (CycloneDX) or as {@code NOASSERTION} (SPDX). A copyright
 * file in free text states nothing a machine can read: no licence.
 */
final class DebianCopyright {
    private static final Pattern GNU = Pattern.compile("(?i)(AGPL|LGPL|GPL|GFDL-NIV|GFDL)v?-?(\\d+(?:\\.\\d+)?)(\\+)?");
    private static final Pattern WITH = Pattern.compile("(?i)(\\S+)\\s+with\\s+(.+?)\\s+exception");
    private static final Map<String, Boolean> DEPRECATED = new ConcurrentHashMap<>();

    private DebianCopyright() {}

    /** The package's licence from the copyright file's text; empty when the file is not DEP-5 or names none. */
    static Optional<String> licence(String copyright) {
        List<List<String[]>> paragraphs = paragraphs(copyright);
        if (paragraphs.isEmpty() || field(paragraphs.get(0), "Format") == null) {
            return Optional.empty();
        }
        Set<String> stated = new LinkedHashSet<>();
        for (List<String[]> paragraph : paragraphs) {
            String licence = field(paragraph, "License");
            if (field(paragraph, "Files") != null && licence != null) {
                stated.add(licence);
            }
        }
        String header = field(paragraphs.get(0), "License");
        if (stated.isEmpty() && header != null) {
            stated.add(header);
        }
        stated.remove("");
        if (stated.isEmpty()) {
            return Optional.empty();
        }
        Set<String> mapped = new LinkedHashSet<>();
        for (String synopsis : stated) {
            Optional<String> spdx = expression(synopsis);
            if (spdx.isEmpty()) {
                return Optional.of(join(stated));
            }
            mapped.add(spdx.get());
        }
        return Optional.of(join(mapped));
    }

    private static String join(Set<String> expressions) {
        if (expressions.size() == 1) {
            return expressions.iterator().next();
        }
        List<String> parts = new ArrayList<>();
        for (String expression : expressions) {
            parts.add(expression.matches("(?i).*\\s(or|and)\\s.*") ? "(" + expression + ")" : expression);
        }
        return String.join(" AND ", parts);
    }

    /**
     * A DEP-5 licence synopsis ({@code GPL-2+ or Artistic}, {@code GPL-2+ or Artistic, and BSD})
     * as an SPDX expression, when every name in it has an SPDX id. A comma ends a group: {@code A or
     * B, and C} is {@code (A OR B) AND C}.
     */
    static Optional<String> expression(String synopsis) {
        String[] groups = synopsis.trim().split("\\s*,\\s*(?=(?i:and|or)\\s)");
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < groups.length; i++) {
            String group = groups[i];
            if (i > 0) {
                int space = group.indexOf(' ');
                out.append(' ')
                        .append(group.substring(0, space).toUpperCase(Locale.ROOT))
                        .append(' ');
                group = group.substring(space + 1);
            }
            Optional<String> inner = group(group);
            if (inner.isEmpty()) {
                return Optional.empty();
            }
            out.append(groups.length > 1 && inner.get().contains(" ") ? "(" + inner.get() + ")" : inner.get());
        }
        return Optional.of(out.toString());
    }

    private static Optional<String> group(String group) {
        List<String> terms = new ArrayList<>();
        StringBuilder term = new StringBuilder();
        for (String token : group.trim().split("\\s+")) {
            String lower = token.toLowerCase(Locale.ROOT);
            if (lower.equals("and/or")) {
                lower = "or"; // either or both: a choice
            }
            if ((lower.equals("or") || lower.equals("and")) && !term.isEmpty()) {
                Optional<String> id = term(term.toString());
                if (id.isEmpty()) {
                    return Optional.empty();
                }
                terms.add(id.get());
                terms.add(lower.toUpperCase(Locale.ROOT));
                term.setLength(0);
            } else {
                term.append(term.isEmpty() ? "" : " ").append(token);
            }
        }
        Optional<String> last = term(term.toString());
        if (last.isEmpty()) {
            return Optional.empty();
        }
        terms.add(last.get());
        return Optional.of(String.join(" ", terms));
    }

    /**
     * One licence, perhaps with an exception ({@code GPL-3+ with OpenSSL exception}): its SPDX id, else
     * a {@code LicenseRef-} of its DEP-5 name; empty when the term is no name at all (free text).
     */
    private static Optional<String> term(String term) {
        Matcher with = WITH.matcher(term);
        if (with.matches()) {
            Optional<String> licence = id(with.group(1));
            Optional<String> exception =
                    LicenseInfoFactory.listedExceptionIdCaseSensitive(with.group(2) + "-exception");
            if (licence.isPresent() && exception.isPresent()) {
                return Optional.of(licence.get() + " WITH " + exception.get());
            }
            return Optional.of(reference(term));
        }
        return term.contains(" ") ? Optional.empty() : Optional.of(id(term).orElseGet(() -> reference(term)));
    }

    /**
     * {@code public-domain} → {@code LicenseRef-public-domain}, {@code GPL-3+ with Bison exception}
     * → {@code LicenseRef-GPL-3-plus-with-Bison-exception}.
     */
    static String reference(String name) {
        String id = name.replace("+", "-plus").replaceAll("[^A-Za-z0-9.]+", "-").replaceAll("^-|-$", "");
        return Spdx.LICENSE_REF + id;
    }

    /** The SPDX id of one DEP-5 short name, or empty. */
    static Optional<String> id(String name) {
        String spdx = switch (name.toLowerCase(Locale.ROOT)) {
            case "expat" -> "MIT";
            // Debian's "Artistic" is Perl's (/usr/share/common-licenses/Artistic).
            case "artistic" -> "Artistic-1.0-Perl";
            case "cc0" -> "CC0-1.0";
            default -> null;
        };
        if (spdx != null) {
            return Optional.of(spdx);
        }
        Matcher gnu = GNU.matcher(name);
        if (gnu.matches()) {
            String family = gnu.group(1).toUpperCase(Locale.ROOT);
            String version = gnu.group(2).contains(".") ? gnu.group(2) : gnu.group(2) + ".0";
            String id = (family.equals("GFDL-NIV") ? "GFDL-" + version + "-no-invariants" : family + "-" + version)
                    + (gnu.group(3) != null ? "-or-later" : "-only");
            return current(id);
        }
        Optional<String> listed = current(name);
        if (listed.isPresent()) {
            return listed;
        }
        // Apache-2, MPL-2: the version's ".0" left out.
        return name.matches(".*-\\d+") ? current(name + ".0") : Optional.empty();
    }

    /**
     * The listed id {@code name} spells in any case, unless SPDX deprecated it ({@code
     * BSD-2-Clause-NetBSD}, {@code GPL-2.0}): a deprecated id fails an SPDX document's verification,
     * so such a name becomes a {@code LicenseRef-} like any other SPDX lacks.
     */
    private static Optional<String> current(String name) {
        return LicenseInfoFactory.listedLicenseIdCaseSensitive(name)
                .filter(id -> !DEPRECATED.computeIfAbsent(id, DebianCopyright::deprecated));
    }

    private static boolean deprecated(String id) {
        try {
            return LicenseInfoFactory.getListedLicenseByIdCompatV2(id).isDeprecated();
        } catch (InvalidSPDXAnalysisException e) {
            throw new IllegalStateException("SPDX's licence list has no readable entry for " + id, e);
        }
    }

    /** RFC 822-style paragraphs: each a list of {name, first line of value}. */
    private static List<List<String[]>> paragraphs(String text) {
        List<List<String[]>> paragraphs = new ArrayList<>();
        List<String[]> current = new ArrayList<>();
        for (String line : text.split("\r?\n")) {
            if (line.isBlank()) {
                if (!current.isEmpty()) {
                    paragraphs.add(current);
                    current = new ArrayList<>();
                }
            } else if (!Character.isWhitespace(line.charAt(0)) && !line.startsWith("#")) {
                int colon = line.indexOf(':');
                if (colon > 0) {
                    current.add(new String[] {
                        line.substring(0, colon).trim(),
                        line.substring(colon + 1).trim()
                    });
                }
            }
        }
        if (!current.isEmpty()) {
            paragraphs.add(current);
        }
        return paragraphs;
    }

    private static String field(List<String[]> paragraph, String name) {
        for (String[] field : paragraph) {
            if (field[0].equalsIgnoreCase(name)) {
                return field[1];
            }
        }
        return null;
    }
}
