package ai.molecule.rootfs;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * What each package of a package layer ships, entry by entry as its data.tar lists them, with each
 * file's md5: kept beside the layer in the cache, it lets a later assembly take those packages'
 * files from the layer instead of decompressing the packages again. Only packages whose every file
 * the layer holds as they ship it are listed.
 *
 * <p>Text, one line per entry, fields separated by tabs: type, path, octal mode, uid, gid, user
 * name, group name, size, link target ({@code -} for none), md5 ({@code -} for none); each package
 * opens with {@code package <name> <sha256>}, the SHA-256 of its .deb, so an index also serves an
 * assembly whose package set or versions differ: only the very same .deb files are taken.
 */
final class ShippedIndex {
    private static final String FORMAT = "molecule-shipped/2";

    /**
     * A package's entries in data.tar order, with the md5 of each file's content ({@code null}
     * otherwise), and the SHA-256 of the .deb they came from.
     */
    record Shipped(String sha256, List<DebEntry> entries, List<String> md5s) {
        Shipped {
            entries = List.copyOf(entries);
            md5s = new ArrayList<>(md5s);
        }
    }

    private ShippedIndex() {}

    /**
     * The index of {@code packages}, each with the SHA-256 of its .deb; a
     * package with a tab or newline in a field is left out (extracted again).
     */
    static byte[] write(List<PackageUnpacker.Extracted> packages, Function<DebArchive, String> sha256) {
        StringBuilder text = new StringBuilder(FORMAT).append('\n');
        for (PackageUnpacker.Extracted extracted : packages) {
            StringBuilder lines = new StringBuilder();
            boolean plain = true;
            for (int i = 0; i < extracted.entries().size(); i++) {
                DebEntry e = extracted.entries().get(i);
                ContentSpool.Blob content = extracted.contents().get(i);
                List<String> fields = List.of(
                        e.type().name(),
                        e.path(),
                        Integer.toOctalString(e.mode()),
                        Integer.toString(e.uid()),
                        Integer.toString(e.gid()),
                        e.userName(),
                        e.groupName(),
                        Long.toString(e.size()),
                        e.linkTarget() == null ? "-" : e.linkTarget(),
                        content == null ? "-" : content.md5());
                plain &= !"-".equals(e.linkTarget())
                        && fields.stream().noneMatch(f -> f.indexOf('\t') >= 0 || f.indexOf('\n') >= 0);
                lines.append(String.join("\t", fields)).append('\n');
            }
            if (plain) {
                text.append("package ")
                        .append(extracted.deb().name())
                        .append(' ')
                        .append(sha256.apply(extracted.deb()))
                        .append('\n')
                        .append(lines);
            }
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Package name → what it ships, or empty when {@code in} is not an index of this format. */
    static Optional<Map<String, Shipped>> read(InputStream in) throws IOException {
        try {
            return parse(in);
        } catch (IllegalArgumentException e) {
            return Optional.empty(); // a number or type that does not parse
        }
    }

    private static Optional<Map<String, Shipped>> parse(InputStream in) throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
        if (!FORMAT.equals(reader.readLine())) {
            return Optional.empty();
        }
        Map<String, Shipped> packages = new LinkedHashMap<>();
        String name = null;
        String sha256 = null;
        List<DebEntry> entries = new ArrayList<>();
        List<String> md5s = new ArrayList<>();
        for (String line; (line = reader.readLine()) != null; ) {
            if (line.startsWith("package ")) {
                if (name != null) {
                    packages.put(name, new Shipped(sha256, entries, md5s));
                }
                String[] header = line.split(" ", -1);
                if (header.length != 3) {
                    return Optional.empty();
                }
                name = header[1];
                sha256 = header[2];
                entries = new ArrayList<>();
                md5s = new ArrayList<>();
                continue;
            }
            String[] f = line.split("\t", -1);
            if (name == null || f.length != 10) {
                return Optional.empty();
            }
            entries.add(new DebEntry(
                    DebEntry.Type.valueOf(f[0]),
                    f[1],
                    Integer.parseInt(f[2], 8),
                    Integer.parseInt(f[3]),
                    Integer.parseInt(f[4]),
                    f[5],
                    f[6],
                    Long.parseLong(f[7]),
                    f[8].equals("-") ? null : f[8]));
            md5s.add(f[9].equals("-") ? null : f[9]);
        }
        if (name != null) {
            packages.put(name, new Shipped(sha256, entries, md5s));
        }
        return Optional.of(packages);
    }
}
