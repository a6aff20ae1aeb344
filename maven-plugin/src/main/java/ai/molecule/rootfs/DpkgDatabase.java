package ai.molecule.rootfs;

import ai.molecule.debian.ControlFile;
import ai.molecule.rootfs.PackageUnpacker.Unpacked;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The dpkg database of the assembled system, so that {@code dpkg -l}, {@code dpkg -S}, {@code dpkg
 * --verify} and a later {@code apt-get install} in the container see every package as installed:
 * {@code /var/lib/dpkg/status} (the base's paragraphs and one per new package, sorted by name), the
 * per-package info files, and the trigger interest index.
 */
final class DpkgDatabase {
    static final String DPKG = "/var/lib/dpkg";
    static final String INFO = DPKG + "/info/";

    /** dpkg's own field order in the status file; other fields follow in the package's order. */
    private static final List<String> FIELD_ORDER = List.of(
            "Package",
            "Essential",
            "Protected",
            "Status",
            "Priority",
            "Section",
            "Installed-Size",
            "Origin",
            "Maintainer",
            "Bugs",
            "Architecture",
            "Multi-Arch",
            "Source",
            "Version",
            "Config-Version",
            "Replaces",
            "Provides",
            "Depends",
            "Pre-Depends",
            "Recommends",
            "Suggests",
            "Breaks",
            "Conflicts",
            "Enhances",
            "Conffiles",
            "Description",
            "Triggers-Pending",
            "Triggers-Awaited");

    /** Index fields that describe the archive's copy of a package, not an installed one. */
    private static final Set<String> ARCHIVE_FIELDS =
            Set.of("Filename", "Size", "MD5sum", "SHA1", "SHA256", "SHA512", "Description-md5", "MSDOS-Filename");

    private DpkgDatabase() {}

    static void write(RootfsTree tree, BaseSystem base, List<Unpacked> packages) throws IOException {
        Map<String, Map<String, String>> paragraphs = new TreeMap<>();
        for (Map<String, String> paragraph : base.statusParagraphs()) {
            paragraphs.put(key(paragraph), paragraph);
        }
        for (Unpacked unpacked : packages) {
            Map<String, String> paragraph = statusParagraph(unpacked);
            paragraphs.put(key(paragraph), paragraph);
            infoFiles(tree, unpacked);
        }
        StringBuilder status = new StringBuilder();
        paragraphs.values().forEach(p -> status.append(ControlFile.format(p)).append('\n'));
        tree.addFile(DPKG + "/status", status.toString(), 0644);
        boolean fresh = base.dpkgStatus().isBlank();
        if (fresh) {
            tree.addFile(DPKG + "/available", "", 0644);
            if (!tree.exists(PackageDefaults.DIVERSIONS)) {
                tree.addFile(PackageDefaults.DIVERSIONS, "", 0644);
            }
            tree.addFile(DPKG + "/statoverride", "", 0644);
            tree.addFile(INFO + "format", "1\n", 0644);
        }
        for (String dir :
                List.of(DPKG, DPKG + "/info", DPKG + "/updates", DPKG + "/triggers", DPKG + "/alternatives")) {
            if (!tree.exists(dir)) {
                tree.addDirectory(dir, 0755, 0, 0);
            }
        }
        triggers(tree, base, packages);
    }

    /** Sort key: name, then architecture, as dpkg orders its status file. */
    private static String key(Map<String, String> paragraph) {
        return paragraph.getOrDefault("Package", "") + "\u0000" + paragraph.getOrDefault("Architecture", "");
    }

    static Map<String, String> statusParagraph(Unpacked unpacked) {
        Map<String, String> fields = new LinkedHashMap<>(unpacked.deb().control());
        ARCHIVE_FIELDS.forEach(fields::remove);
        fields.put("Status", "install ok installed");
        if (!unpacked.conffileMd5s().isEmpty()) {
            StringBuilder conffiles = new StringBuilder();
            unpacked.conffileMd5s()
                    .forEach((path, md5) ->
                            conffiles.append('\n').append(path).append(' ').append(md5));
            fields.put("Conffiles", conffiles.toString());
        }
        Map<String, String> ordered = new LinkedHashMap<>();
        for (String name : FIELD_ORDER) {
            if (fields.containsKey(name)) {
                ordered.put(name, fields.remove(name));
            }
        }
        ordered.putAll(fields);
        return ordered;
    }

    private static void infoFiles(RootfsTree tree, Unpacked unpacked) throws IOException {
        DebArchive deb = unpacked.deb();
        String prefix = INFO + deb.dpkgName() + ".";
        tree.addFile(prefix + "list", String.join("\n", unpacked.listedPaths()) + "\n", 0644);
        for (DebArchive.ControlMember member : deb.controlMembers().values()) {
            tree.addFile(prefix + member.name(), member.content(), member.mode() & 0777, 0, 0);
        }
        if (!deb.controlMembers().containsKey("md5sums")) {
            StringBuilder md5sums = new StringBuilder();
            unpacked.md5sums()
                    .forEach((path, md5) ->
                            md5sums.append(md5).append("  ").append(path).append('\n'));
            tree.addFile(prefix + "md5sums", md5sums.toString(), 0644);
        }
    }

    /**
     * {@code /var/lib/dpkg/triggers/File} (file-trigger interests: {@code <path> <package>[/noawait]})
     * and one file per explicit trigger listing the interested packages, merged with the base's, so
     * that installing a library later in the container still runs ldconfig.
     */
    private static void triggers(RootfsTree tree, BaseSystem base, List<Unpacked> packages) throws IOException {
        Map<String, Set<String>> files = new TreeMap<>();
        base.filesUnder(BaseSystem.TRIGGERS).forEach((name, text) -> {
            if (!name.equals("Lock") && !name.equals("Unincorp")) {
                files.computeIfAbsent(name, n -> new LinkedHashSet<>())
                        .addAll(text.lines().toList());
            }
        });
        for (Unpacked unpacked : packages) {
            DebArchive.ControlMember member = unpacked.deb().controlMembers().get("triggers");
            if (member == null) {
                continue;
            }
            for (String line : member.text().split("\n")) {
                String[] words = line.strip().split("\\s+");
                if (words.length < 2 || !words[0].startsWith("interest")) {
                    continue;
                }
                String who = unpacked.deb().dpkgName() + (words[0].equals("interest-noawait") ? "/noawait" : "");
                if (words[1].startsWith("/")) {
                    files.computeIfAbsent("File", n -> new LinkedHashSet<>()).add(words[1] + " " + who);
                } else {
                    files.computeIfAbsent(words[1], n -> new LinkedHashSet<>()).add(who);
                }
            }
        }
        for (Map.Entry<String, Set<String>> file : files.entrySet()) {
            List<String> lines = new ArrayList<>(file.getValue());
            lines.removeIf(String::isBlank);
            tree.addFile(
                    DpkgDatabase.DPKG + "/triggers/" + file.getKey(),
                    lines.isEmpty() ? "" : String.join("\n", lines) + "\n",
                    0644);
        }
        String unincorp = base.filesUnder(BaseSystem.TRIGGERS).getOrDefault("Unincorp", "");
        tree.addFile(DPKG + "/triggers/Unincorp", unincorp, 0644);
    }
}
