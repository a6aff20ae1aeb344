package ai.molecule.rootfs;

import ai.molecule.core.BuildLog;
import ai.molecule.rootfs.RootfsTree.Kind;
import ai.molecule.rootfs.RootfsTree.Node;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What libpam-runtime's postinst does with {@code pam-auth-update --package --force} on a fresh
 * install: fill the {@code /etc/pam.d/common-*} files from the templates in {@code /usr/share/pam}
 * with every profile of {@code /usr/share/pam-configs} marked {@code Default: yes}, and save the
 * state in {@code /var/lib/pam} so that a later {@code pam-auth-update} in the container merges
 * instead of refusing "local modifications". Without these files sudo's PAM stack has no {@code
 * common-account} to include and refuses everyone.
 */
final class PamAuthUpdate {
    static final String PROFILES = "/usr/share/pam-configs";
    static final String TEMPLATES = "/usr/share/pam";
    private static final List<String> TYPES =
            List.of("auth", "account", "password", "session", "session-noninteractive");
    private static final Pattern HEADER = Pattern.compile("^(\\S+):(?:\\s+(.*?))?\\s*$");
    private static final Pattern MODULE_LINE = Pattern.compile("^((\\[[^]]+\\]|\\w+)\\s+\\S+)\\s*(.*)");

    private PamAuthUpdate() {}

    /** A profile file: its fields, with continuation lines joined by newlines, as pam-auth-update parses them. */
    record Profile(String name, Map<String, String> fields) {
        int priority() {
            try {
                return Integer.parseInt(fields.getOrDefault("Priority", "0").strip());
            } catch (NumberFormatException e) {
                return 0;
            }
        }

        String field(String name) {
            return fields.get(name);
        }
    }

    static void apply(RootfsTree tree, Set<String> packages, BuildLog log) throws IOException {
        if (!packages.contains("libpam-runtime")) {
            return;
        }
        List<Profile> profiles = new ArrayList<>();
        String profilesDir = tree.aliases().lookup(PROFILES);
        for (Node node : tree.under(PROFILES).values()) {
            String name = node.path().substring(profilesDir.length() + 1);
            if (node.kind() != Kind.FILE || name.contains("/") || name.endsWith("~") || name.matches("#.+#")) {
                continue;
            }
            Profile profile = parse(name, new String(tree.read(node), StandardCharsets.UTF_8));
            if (!profile.fields().containsKey("disabled")) {
                profiles.add(profile);
            }
        }
        // pam-auth-update sorts by priority, highest first, then by name in reverse.
        profiles.sort(Comparator.comparingInt(Profile::priority)
                .reversed()
                .thenComparing(Profile::name, Comparator.reverseOrder()));
        List<Profile> enabled = profiles.stream()
                .filter(profile -> "yes".equals(profile.field("Default")))
                .toList();
        for (String type : TYPES) {
            Optional<String> template = tree.readText(TEMPLATES + "/common-" + type);
            if (template.isEmpty()) {
                log.warn("libpam-runtime ships no " + TEMPLATES + "/common-" + type + "; /etc/pam.d/common-" + type
                        + " is not generated");
                continue;
            }
            tree.addFile("/etc/pam.d/common-" + type, fill(template.get(), type, enabled), 0644);
            tree.addFile("/var/lib/pam/" + type, savedState(type, enabled), 0644);
        }
        StringBuilder seen = new StringBuilder();
        profiles.forEach(profile -> seen.append(profile.name()).append('\n'));
        tree.addFile("/var/lib/pam/seen", seen.toString(), 0644);
    }

    static Profile parse(String name, String text) {
        Map<String, String> fields = new HashMap<>();
        String field = null;
        for (String line : text.split("\n", -1)) {
            // Perl reads lines with their newline, so "Account:" alone matches its "\s+" there.
            Matcher header = HEADER.matcher(line);
            if (header.matches()) {
                field = header.group(1).replaceFirst("-Final$", "");
                fields.put(field, header.group(2) == null ? "" : header.group(2));
            } else if (field != null) {
                String value = line.strip();
                String joined = fields.get(field) + (value.isEmpty() ? "" : "\n" + value);
                joined = joined.replaceFirst("^[\\n\\s]+", "");
                fields.put(field, joined);
                if (joined.contains("pam_tally")) {
                    fields.put("disabled", "1");
                }
            }
        }
        if (!fields.containsKey("Session-Interactive-Only")) {
            copy(fields, "Session-Type", "Session-noninteractive-Type");
            copy(fields, "Session", "Session-noninteractive");
            copy(fields, "Session-Initial", "Session-noninteractive-Initial");
        }
        return new Profile(name, fields);
    }

    private static void copy(Map<String, String> fields, String from, String to) {
        if (fields.containsKey(from)) {
            fields.put(to, fields.get(from));
        }
    }

    /** pam-auth-update's create_from_template for a fresh install (no local changes to merge). */
    static String fill(String template, String type, List<Profile> enabled) {
        String uctype = Character.toUpperCase(type.charAt(0)) + type.substring(1);
        String moduleType = type.replace("-noninteractive", "");
        StringBuilder out = new StringBuilder();
        int state = 0;
        for (String line : template.split("(?<=\n)")) {
            if (state == 1) {
                if (line.startsWith("# here's the fallback if no module succeeds")) {
                    out.append(line);
                    state++;
                }
                continue;
            }
            if (state == 3) {
                if (line.startsWith("# end of pam-auth-update config")) {
                    out.append(line);
                    state++;
                }
                continue;
            }
            out.append(line);
            String block;
            if (state == 0 && line.startsWith("# here are the per-package modules (the \"Primary\" block)")) {
                block = "Primary";
            } else if (state == 2
                    && line.startsWith("# and here are more per-package modules (the \"Additional\" block)")) {
                block = "Additional";
            } else {
                continue;
            }
            List<String> lines = new ArrayList<>();
            int position = 0;
            for (Profile profile : enabled) {
                if (block.equals(profile.field(uctype + "-Type"))) {
                    String output = linesFor(profile, uctype, position++);
                    if (output != null) {
                        for (String moduleLine : output.split("\n+")) {
                            if (!moduleLine.isEmpty()) {
                                lines.add(moduleLine);
                            }
                        }
                    }
                }
            }
            int count = lines.size();
            if (block.equals("Additional")) {
                count--;
            }
            if (block.equals("Primary") && count == 0) {
                out.append(moduleType).append("\t[default=1]\t\t\tpam_permit.so\n");
            }
            for (String moduleLine : lines) {
                out.append(moduleType).append('\t').append(mergeOneLine(moduleLine, count));
                count--;
            }
            state++;
        }
        return out.toString();
    }

    private static String linesFor(Profile profile, String uctype, int position) {
        if (position == 0 && profile.field(uctype + "-Initial") != null) {
            return profile.field(uctype + "-Initial");
        }
        return profile.field(uctype);
    }

    private static String mergeOneLine(String line, int count) {
        Matcher m = MODULE_LINE.matcher(line);
        if (!m.find()) {
            return line + "\n";
        }
        String module = m.group(1).replace("end", String.valueOf(count));
        String options = m.group(3).strip();
        return module + " " + String.join(" ", options.isEmpty() ? List.of() : List.of(options.split("\\s+"))) + "\n";
    }

    /** /var/lib/pam/&lt;type&gt;: the primary modules, or a null module, then the additional ones. */
    static String savedState(String type, List<Profile> enabled) {
        String uctype = Character.toUpperCase(type.charAt(0)) + type.substring(1);
        StringBuilder out = new StringBuilder();
        if (appendModules(out, enabled, uctype, "Additional") == 0) {
            out.append("Module: null\n[default=1]\t\t\tpam_permit.so\n");
        }
        appendModules(out, enabled, uctype, "Primary");
        return out.toString();
    }

    /** Appends the modules of every profile not of {@code skippedType}; returns how many were numbered. */
    private static int appendModules(StringBuilder out, List<Profile> enabled, String uctype, String skippedType) {
        int position = 0;
        for (Profile profile : enabled) {
            String moduleType = profile.field(uctype + "-Type");
            if (moduleType == null || moduleType.equals(skippedType)) {
                continue;
            }
            String output = linesFor(profile, uctype, position++);
            if (output != null && !output.isEmpty()) {
                out.append("Module: ")
                        .append(profile.name())
                        .append('\n')
                        .append(output)
                        .append('\n');
            }
        }
        return position;
    }
}
