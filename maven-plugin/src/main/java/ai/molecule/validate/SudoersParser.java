package ai.molecule.validate;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks the syntax of a sudoers file well enough to catch what breaks drop-ins in practice: user
 * specifications ({@code who host = (runas[:group]) TAG: commands}), {@code Defaults} lines, the
 * four alias kinds, {@code #include}/{@code @include}(dir), comments and backslash continuations.
 * It does not resolve names or aliases; visudo does that where it is installed.
 */
final class SudoersParser {
    /** A syntax error at a 1-based line (the first line of a continued statement). */
    record Problem(int line, String message) {}

    private static final Pattern INCLUDE = Pattern.compile("(?:#|@)(include|includedir)(?:\\s+(.*))?");
    private static final Pattern DEFAULTS = Pattern.compile("Defaults(?:([@:!>])(\\S+))?(?:\\s+(.*))?");
    private static final Pattern DEFAULT_PARAMETER =
            Pattern.compile("!*[a-z_]+|[a-z_]+\\s*[+-]?=\\s*(\"(?:[^\"\\\\]|\\\\.)*\"|\\S+)");
    private static final Pattern ALIAS =
            Pattern.compile("(User_Alias|Runas_Alias|Host_Alias|Cmnd_Alias|Cmd_Alias)\\b(.*)");
    private static final Pattern ALIAS_NAME = Pattern.compile("[A-Z][A-Z0-9_]*");
    private static final Pattern USER =
            Pattern.compile("!*(?:%:?\\S+|%#\\d+|#\\d+|\\+\\S+|\"[^\"]+\"|[A-Za-z0-9_.$@\\\\-]+)");
    private static final Pattern HOST = Pattern.compile("!*(?:\\+\\S+|[A-Za-z0-9_.:/*\\[\\]-]+)");
    private static final Pattern OPTION =
            Pattern.compile("(?:CWD|CHROOT|ROLE|TYPE|TIMEOUT|NOTBEFORE|NOTAFTER|APPARMOR_PROFILE)=\\S+");
    private static final Pattern WORD_COLON = Pattern.compile("([A-Z_]+):\\s*");
    private static final Set<String> TAGS = Set.of(
            "NOPASSWD",
            "PASSWD",
            "NOEXEC",
            "EXEC",
            "SETENV",
            "NOSETENV",
            "LOG_INPUT",
            "NOLOG_INPUT",
            "LOG_OUTPUT",
            "NOLOG_OUTPUT",
            "MAIL",
            "NOMAIL",
            "FOLLOW",
            "NOFOLLOW",
            "INTERCEPT",
            "NOINTERCEPT");
    private static final Pattern DIGEST = Pattern.compile("sha(?:224|256|384|512):\\S+\\s+");
    private static final Pattern COMMAND =
            Pattern.compile("!*\\s*(?:ALL|[A-Z][A-Z0-9_]*|sudoedit(?:\\s.*)?|list|/\\S*(?:\\s.*)?)");

    private SudoersParser() {}

    static List<Problem> parse(List<String> lines) {
        List<Problem> problems = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            int first = i + 1;
            StringBuilder statement = new StringBuilder();
            String line = lines.get(i);
            while (line.endsWith("\\") && !isComment(line) && i + 1 < lines.size()) {
                statement.append(line, 0, line.length() - 1).append(' ');
                line = lines.get(++i);
            }
            statement.append(line);
            String error = statement(stripComment(statement.toString()).strip());
            if (error != null) {
                problems.add(new Problem(first, error));
            }
        }
        return problems;
    }

    private static boolean isComment(String line) {
        String trimmed = line.strip();
        return trimmed.startsWith("#") && !INCLUDE.matcher(trimmed).matches();
    }

    /** Drops a comment: '#' not followed by a digit (that is a uid), except the #include directives. */
    private static String stripComment(String text) {
        String trimmed = text.strip();
        if (trimmed.startsWith("#include")) {
            return trimmed;
        }
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '#'
                    && (i + 1 == text.length() || !Character.isDigit(text.charAt(i + 1)))
                    && (i == 0 || text.charAt(i - 1) != '%')) {
                return text.substring(0, i);
            }
        }
        return text;
    }

    /** The error of one statement, or {@code null} when it parses. */
    private static String statement(String text) {
        if (text.isEmpty()) {
            return null;
        }
        Matcher include = INCLUDE.matcher(text);
        if (include.matches()) {
            return include.group(2) == null || include.group(2).isBlank()
                    ? "@" + include.group(1) + " names no "
                            + (include.group(1).equals("include") ? "file" : "directory")
                    : null;
        }
        Matcher defaults = DEFAULTS.matcher(text);
        if (defaults.matches()) {
            return defaults(defaults.group(3));
        }
        Matcher alias = ALIAS.matcher(text);
        if (alias.matches()) {
            return alias(alias.group(1), alias.group(2));
        }
        return userSpec(text);
    }

    private static String defaults(String parameters) {
        if (parameters == null || parameters.isBlank()) {
            return "Defaults sets nothing; name at least one parameter, e.g. Defaults env_reset";
        }
        for (String parameter : splitOutside(parameters, ',')) {
            if (!DEFAULT_PARAMETER.matcher(parameter.strip()).matches()) {
                return "Defaults parameter '" + parameter.strip() + "' is neither a flag nor name=value";
            }
        }
        return null;
    }

    private static String alias(String kind, String rest) {
        for (String definition : splitOutside(rest, ':')) {
            int equals = definition.indexOf('=');
            if (equals < 0) {
                return kind + " needs NAME = members";
            }
            String name = definition.substring(0, equals).strip();
            if (!ALIAS_NAME.matcher(name).matches()) {
                return kind + " name '" + name + "' must be upper case letters, digits and '_', starting with a letter";
            }
            if (definition.substring(equals + 1).isBlank()) {
                return kind + " " + name + " has no members";
            }
        }
        return null;
    }

    private static String userSpec(String text) {
        int equals = text.indexOf('=');
        if (equals < 0) {
            return "'" + text
                    + "' is not a sudoers statement; a user specification reads 'who host = (runas) commands'";
        }
        String[] lists =
                text.substring(0, equals).strip().replaceAll("\\s*,\\s*", ",").split("\\s+");
        if (lists.length != 2) {
            return "'" + text.substring(0, equals).strip() + "' must be a user list and a host list, e.g. 'agent ALL'";
        }
        for (String user : lists[0].split(",", -1)) {
            if (!USER.matcher(user).matches()) {
                return "user '" + user + "' is not a user name, %group, #uid, +netgroup or alias";
            }
        }
        for (String host : lists[1].split(",", -1)) {
            if (!HOST.matcher(host).matches()) {
                return "host '" + host + "' is not a host name, address, +netgroup, alias or ALL";
            }
        }
        String commands = text.substring(equals + 1).strip();
        if (commands.isEmpty()) {
            return "no command after '='; write e.g. (ALL) NOPASSWD: ALL";
        }
        for (String command : splitOutside(commands, ',')) {
            String error = commandSpec(command.strip());
            if (error != null) {
                return error;
            }
        }
        return null;
    }

    private static String commandSpec(String spec) {
        String rest = spec;
        if (rest.startsWith("(")) {
            int close = rest.indexOf(')');
            if (close < 0) {
                return "runas list '" + rest + "' lacks its closing ')'";
            }
            if (rest.substring(1, close).chars().filter(c -> c == ':').count() > 1) {
                return "runas list '" + rest.substring(0, close + 1) + "' has more than one ':' (user:group)";
            }
            rest = rest.substring(close + 1).strip();
        }
        while (true) {
            Matcher option = OPTION.matcher(rest);
            if (option.lookingAt()) {
                rest = rest.substring(option.end()).strip();
                continue;
            }
            Matcher tag = WORD_COLON.matcher(rest);
            if (tag.lookingAt()) {
                if (!TAGS.contains(tag.group(1))) {
                    return "unknown tag '" + tag.group(1) + ":'; sudo knows "
                            + String.join(", ", TAGS.stream().sorted().toList());
                }
                rest = rest.substring(tag.end());
                continue;
            }
            break;
        }
        Matcher digest = DIGEST.matcher(rest);
        if (digest.lookingAt()) {
            rest = rest.substring(digest.end());
        }
        if (rest.isEmpty()) {
            return "no command in '" + spec + "'; write an absolute path, an alias or ALL";
        }
        if (!COMMAND.matcher(rest).matches()) {
            return "command '" + rest + "' is not an absolute path, an alias or ALL"
                    + (rest.matches("[A-Z_]+\\s.*") ? " (a tag ends with ':', e.g. NOPASSWD: ALL)" : "");
        }
        return null;
    }

    /** Splits at {@code separator} outside parentheses and quotes, and not after a backslash. */
    private static List<String> splitOutside(String text, char separator) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (!quoted && c == '(') {
                depth++;
            } else if (!quoted && c == ')') {
                depth--;
            } else if (!quoted && depth == 0 && c == separator) {
                parts.add(text.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(text.substring(start));
        return parts;
    }
}
