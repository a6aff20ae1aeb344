package ai.molecule.rootfs;

import ai.molecule.core.BuildLog;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A system user, system group or group membership that a package's maintainer script would create
 * with {@code adduser --system}, {@code addgroup --system}, {@code useradd -r}, {@code groupadd -r}
 * or {@code adduser <user> <group>}. Found by reading the script, not by running it.
 *
 * @param id the uid (user) or gid (group) the script asks for, or {@code null} to allocate one
 * @param ownGroup a user gets a group of its own name (adduser {@code --group}, useradd's default)
 * @param groupName a user's primary group by name ({@code --ingroup}, {@code -g name}), or the
 *     group of a membership
 * @param gid a user's primary group by number ({@code --gid}, {@code -g 42})
 */
record SystemAccount(
        Kind kind,
        String name,
        Integer id,
        String home,
        String shell,
        String gecos,
        boolean createHome,
        boolean ownGroup,
        String groupName,
        Integer gid,
        String origin) {

    enum Kind {
        USER,
        GROUP,
        MEMBERSHIP
    }

    private static final Set<String> ADDUSER_VALUE_OPTIONS = Set.of(
            "--home",
            "--shell",
            "--uid",
            "--gid",
            "--ingroup",
            "--gecos",
            "--comment",
            "--conf",
            "--firstuid",
            "--lastuid",
            "--firstgid",
            "--lastgid",
            "--extrausers",
            "--key");
    private static final Map<Character, String> USERADD_VALUE_OPTIONS = Map.ofEntries(
            Map.entry('d', "--home-dir"),
            Map.entry('s', "--shell"),
            Map.entry('u', "--uid"),
            Map.entry('g', "--gid"),
            Map.entry('G', "--groups"),
            Map.entry('c', "--comment"),
            Map.entry('k', "--skel"),
            Map.entry('K', "--key"),
            Map.entry('e', "--expiredate"),
            Map.entry('f', "--inactive"),
            Map.entry('p', "--password"),
            Map.entry('b', "--base-dir"),
            Map.entry('R', "--root"),
            Map.entry('P', "--prefix"));

    /** The accounts {@code script} (preinst or postinst of {@code packageName}) would create. */
    static List<SystemAccount> scan(String packageName, String scriptName, String script, BuildLog log) {
        List<SystemAccount> accounts = new ArrayList<>();
        for (ShellCommands.Command call : ShellCommands.parse(script)) {
            String origin = packageName + " " + scriptName + " line " + call.line();
            List<SystemAccount> found = switch (call.program()) {
                case "adduser" -> adduser(call, origin, false);
                case "addgroup" -> adduser(call, origin, true);
                case "useradd" -> useradd(call, origin);
                case "groupadd" -> groupadd(call, origin);
                default -> List.of();
            };
            if (!found.isEmpty() && call.anyExpanded()) {
                log.warn("Skipping " + call.program() + " call in " + origin
                        + ": its arguments use shell variables or substitutions (" + String.join(" ", call.texts())
                        + "); declare the account in the image configuration if the image needs it");
                continue;
            }
            accounts.addAll(found);
        }
        return accounts;
    }

    private static List<SystemAccount> adduser(ShellCommands.Command call, String origin, boolean addgroup) {
        Options options = Options.parseLong(call.texts(), ADDUSER_VALUE_OPTIONS);
        boolean system = options.has("--system");
        boolean group = options.has("--group");
        List<String> names = options.positional();
        if (names.size() == 2 && !system && !addgroup) {
            return List.of(new SystemAccount(
                    Kind.MEMBERSHIP, names.get(0), null, null, null, null, false, false, names.get(1), null, origin));
        }
        if (!system || names.size() != 1) {
            return List.of();
        }
        String name = names.get(0);
        if (addgroup) {
            return List.of(new SystemAccount(
                    Kind.GROUP, name, options.integer("--gid"), null, null, null, false, false, null, null, origin));
        }
        // adduser --system [--group] name: a system user, with a group of its own name when --group is given.
        String home = options.value("--home");
        return List.of(new SystemAccount(
                Kind.USER,
                name,
                options.integer("--uid"),
                home == null ? "/nonexistent" : home,
                options.value("--shell") == null ? "/usr/sbin/nologin" : options.value("--shell"),
                firstNonNull(options.value("--gecos"), options.value("--comment"), ""),
                home != null && !home.startsWith("/nonexistent") && !options.has("--no-create-home"),
                group,
                options.value("--ingroup"),
                options.integer("--gid"),
                origin));
    }

    private static List<SystemAccount> useradd(ShellCommands.Command call, String origin) {
        Options options = Options.parseShort(call.texts(), USERADD_VALUE_OPTIONS, Map.of('r', "--system"));
        if (!options.has("--system") || options.positional().size() != 1) {
            return List.of();
        }
        String name = options.positional().get(0);
        String group = options.value("--gid");
        boolean numericGroup = group != null && group.matches("\\d+");
        String home = options.value("--home-dir");
        return List.of(new SystemAccount(
                Kind.USER,
                name,
                options.integer("--uid"),
                home == null ? "/home/" + name : home,
                options.value("--shell") == null ? "/bin/sh" : options.value("--shell"),
                firstNonNull(options.value("--comment"), ""),
                options.has("-m") || options.has("--create-home"),
                group == null && !options.has("-N") && !options.has("--no-user-group"),
                numericGroup ? null : group,
                numericGroup ? Integer.valueOf(group) : null,
                origin));
    }

    private static List<SystemAccount> groupadd(ShellCommands.Command call, String origin) {
        Options options = Options.parseShort(
                call.texts(),
                Map.of('g', "--gid", 'K', "--key", 'p', "--password", 'R', "--root", 'P', "--prefix", 'U', "--users"),
                Map.of('r', "--system"));
        Integer gid = options.integer("--gid");
        // Without -r groupadd would take a gid from the user range; only -r or a fixed gid is a system group.
        if ((!options.has("--system") && gid == null) || options.positional().size() != 1) {
            return List.of();
        }
        return List.of(new SystemAccount(
                Kind.GROUP, options.positional().get(0), gid, null, null, null, false, false, null, null, origin));
    }

    @SafeVarargs
    private static <T> T firstNonNull(T... values) {
        for (T value : values) {
            if (value != null) {
                return value;
            }
        }
        return null;
    }

    /** Command-line options as GNU getopt and Perl's Getopt::Long would see them. */
    private record Options(Map<String, String> values, List<String> positional) {
        boolean has(String option) {
            return values.containsKey(option);
        }

        String value(String option) {
            String value = values.get(option);
            return value == null || value.isEmpty() ? null : value;
        }

        Integer integer(String option) {
            String value = value(option);
            return value != null && value.matches("\\d{1,9}") ? Integer.valueOf(value) : null;
        }

        static Options parseLong(List<String> args, Set<String> valueOptions) {
            Map<String, String> values = new HashMap<>();
            List<String> positional = new ArrayList<>();
            for (int i = 0; i < args.size(); i++) {
                String arg = args.get(i);
                if (arg.startsWith("--") && arg.contains("=")) {
                    values.put(arg.substring(0, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
                } else if (valueOptions.contains(arg)) {
                    values.put(arg, i + 1 < args.size() ? args.get(++i) : "");
                } else if (arg.startsWith("-")) {
                    values.put(arg, "");
                } else {
                    positional.add(arg);
                }
            }
            return new Options(values, positional);
        }

        static Options parseShort(
                List<String> args, Map<Character, String> valueOptions, Map<Character, String> flags) {
            Map<String, String> values = new HashMap<>();
            List<String> positional = new ArrayList<>();
            for (int i = 0; i < args.size(); i++) {
                String arg = args.get(i);
                if (arg.startsWith("--")) {
                    String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
                    if (arg.contains("=")) {
                        values.put(name, arg.substring(arg.indexOf('=') + 1));
                    } else if (valueOptions.containsValue(name)) {
                        values.put(name, i + 1 < args.size() ? args.get(++i) : "");
                    } else {
                        values.put(name, "");
                    }
                } else if (arg.startsWith("-") && arg.length() > 1) {
                    for (int c = 1; c < arg.length(); c++) {
                        char option = arg.charAt(c);
                        String longName = valueOptions.get(option);
                        if (longName != null) {
                            String rest = arg.substring(c + 1);
                            values.put(longName, !rest.isEmpty() ? rest : i + 1 < args.size() ? args.get(++i) : "");
                            break;
                        }
                        values.put(flags.getOrDefault(option, "-" + option), "");
                    }
                } else {
                    positional.add(arg);
                }
            }
            return new Options(values, positional);
        }
    }
}
