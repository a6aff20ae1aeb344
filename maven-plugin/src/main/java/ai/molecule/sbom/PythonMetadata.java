package ai.molecule.sbom;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.spdx.library.LicenseInfoFactory;

/**
 * The name, version and licence an installed Python distribution states in its {@code
 * .dist-info/METADATA}: {@code License-Expression} (core metadata 2.4) as written; else a {@code
 * License} of one line that is an SPDX id ({@code MIT}, {@code apache-2.0}) or, failing that, a short
 * name kept as stated; else the one {@code License ::} classifier, when it names a single licence
 * version ({@code MIT License}; not {@code BSD License}, which could be any of three).
 */
record PythonMetadata(String name, String version, Optional<String> licence) {
    /** Longer than this, a {@code License} field is a licence's text, not its name. */
    private static final int NAME_LENGTH = 64;

    private static final Map<String, String> CLASSIFIERS = Map.ofEntries(
            Map.entry("OSI Approved :: MIT License", "MIT"),
            Map.entry("OSI Approved :: MIT No Attribution License (MIT-0)", "MIT-0"),
            Map.entry("OSI Approved :: ISC License (ISCL)", "ISC"),
            Map.entry("OSI Approved :: Mozilla Public License 2.0 (MPL 2.0)", "MPL-2.0"),
            Map.entry("OSI Approved :: Python Software Foundation License", "PSF-2.0"),
            Map.entry("OSI Approved :: The Unlicense (Unlicense)", "Unlicense"),
            Map.entry("OSI Approved :: Boost Software License 1.0 (BSL-1.0)", "BSL-1.0"),
            Map.entry("OSI Approved :: zlib/libpng License", "Zlib"),
            Map.entry("OSI Approved :: GNU General Public License v2 or later (GPLv2+)", "GPL-2.0-or-later"),
            Map.entry("OSI Approved :: GNU General Public License v3 or later (GPLv3+)", "GPL-3.0-or-later"),
            Map.entry("OSI Approved :: GNU Lesser General Public License v2 or later (LGPLv2+)", "LGPL-2.0-or-later"),
            Map.entry("OSI Approved :: GNU Lesser General Public License v3 or later (LGPLv3+)", "LGPL-3.0-or-later"),
            Map.entry("OSI Approved :: GNU Affero General Public License v3 or later (AGPLv3+)", "AGPL-3.0-or-later"),
            Map.entry("CC0 1.0 Universal (CC0 1.0) Public Domain Dedication", "CC0-1.0"));

    /** The PEP 503 form a name is compared in: {@code Foo_Bar.baz} → {@code foo-bar-baz}. */
    static String normalize(String name) {
        return name.toLowerCase(Locale.ROOT).replaceAll("[-_.]+", "-");
    }

    /** Parses the header of a METADATA file; empty when it names no distribution. */
    static Optional<PythonMetadata> parse(String metadata) {
        String name = null;
        String version = null;
        String expression = null;
        String license = null;
        boolean licenseContinues = false;
        List<String> classifiers = new ArrayList<>();
        String last = "";
        for (String line : metadata.split("\r?\n")) {
            if (line.isEmpty()) {
                break; // the description follows the header
            }
            if (Character.isWhitespace(line.charAt(0))) {
                if (last.equals("license") && !line.isBlank()) {
                    licenseContinues = true;
                }
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            last = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).trim();
            switch (last) {
                case "name" -> name = value;
                case "version" -> version = value;
                case "license-expression" -> expression = value;
                case "license" -> license = value;
                case "classifier" -> {
                    if (value.startsWith("License :: ")) {
                        classifiers.add(value.substring("License :: ".length()));
                    }
                }
                default -> {}
            }
        }
        if (name == null || version == null) {
            return Optional.empty();
        }
        return Optional.of(
                new PythonMetadata(name, version, licence(expression, licenseContinues ? null : license, classifiers)));
    }

    private static Optional<String> licence(String expression, String license, List<String> classifiers) {
        if (expression != null && !expression.isBlank()) {
            return Optional.of(expression);
        }
        if (license != null && !license.isBlank() && !license.equalsIgnoreCase("UNKNOWN")) {
            Optional<String> id = LicenseInfoFactory.listedLicenseIdCaseSensitive(license);
            if (id.isPresent() || Spdx.expression(license).isPresent()) {
                return Optional.of(id.orElse(license));
            }
            if (license.length() <= NAME_LENGTH) {
                return Optional.of(license);
            }
        }
        List<String> named =
                classifiers.stream().filter(c -> !c.equals("OSI Approved")).toList();
        if (named.size() == 1 && CLASSIFIERS.containsKey(named.get(0))) {
            return Optional.of(CLASSIFIERS.get(named.get(0)));
        }
        return Optional.empty();
    }
}
