package ai.molecule.config;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The container settings of the config: ports, volumes, working directory, user and timestamp. */
final class ContainerConfiguration {
    private static final Pattern PORT = Pattern.compile("(\\d{1,5})(?:/(tcp|udp|sctp))?");
    private static final Pattern USER = Pattern.compile("([a-z_][a-z0-9_.-]*|\\d+)(?::([a-z_][a-z0-9_.-]*|\\d+))?");

    private ContainerConfiguration() {}

    /** {@code 8000} or {@code 8000/udp} → {@code 8000/tcp}, {@code 8000/udp}. */
    static List<String> ports(List<String> ports) throws InvalidConfigurationException {
        List<String> exposed = new ArrayList<>();
        for (String port : ports) {
            String text = port == null ? "" : port.strip();
            Matcher matcher = PORT.matcher(text);
            int number = matcher.matches() ? Integer.parseInt(matcher.group(1)) : 0;
            if (number < 1 || number > 65535) {
                throw new InvalidConfigurationException(
                        "ports><port",
                        "'" + port + "' is not a port",
                        "Write a number from 1 to 65535, optionally with /tcp, /udp or /sctp, e.g. 8000 or 8000/tcp");
            }
            exposed.add(number + "/" + (matcher.group(2) == null ? "tcp" : matcher.group(2)));
        }
        return exposed;
    }

    static List<String> volumes(List<String> volumes) throws InvalidConfigurationException {
        List<String> paths = new ArrayList<>();
        for (String volume : volumes) {
            paths.add(absolute("volumes><volume", volume, "/workspace"));
        }
        return paths;
    }

    /** {@code null} keeps the base's. */
    static String workingDirectory(String directory) throws InvalidConfigurationException {
        return directory == null || directory.isBlank() ? null : absolute("workingDirectory", directory, "/workspace");
    }

    /** {@code null} keeps the base's; else a name or uid, optionally with {@code :group} or {@code :gid}. */
    static String user(String user) throws InvalidConfigurationException {
        if (user == null || user.isBlank()) {
            return null;
        }
        if (!USER.matcher(user.strip()).matches()) {
            throw new InvalidConfigurationException(
                    "user",
                    "'" + user + "' is not a user",
                    "Write a user name or uid, optionally with :group or :gid, e.g. agent or 1000:1000");
        }
        return user.strip();
    }

    /** The image's {@code created} and every entry's mtime; one second past the epoch when unset. */
    static Instant creationTime(String outputTimestamp) throws InvalidConfigurationException {
        String value = outputTimestamp == null ? "" : outputTimestamp.trim();
        // Maven's convention: a single character (e.g. "a") means "not set".
        if (value.length() <= 1) {
            return Instant.EPOCH.plusSeconds(1);
        }
        try {
            return value.matches("\\d+")
                    ? Instant.ofEpochSecond(Long.parseLong(value))
                    : OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException | ArithmeticException e) {
            throw new InvalidConfigurationException(
                    "project.build.outputTimestamp",
                    "'" + value + "' is not a timestamp",
                    "Write ISO-8601 such as 2026-01-01T00:00:00Z, or epoch seconds");
        }
    }

    /** {@code path} as written, or an error naming {@code element} when it is not an absolute path. */
    static String absolute(String element, String path, String example) throws InvalidConfigurationException {
        String text = path == null ? "" : path.strip();
        if (!text.equals(path) || !text.startsWith("/") || text.contains("\0")) {
            throw new InvalidConfigurationException(
                    element, "'" + path + "' is not an absolute image path", "Write it from the root, e.g. " + example);
        }
        return path;
    }
}
