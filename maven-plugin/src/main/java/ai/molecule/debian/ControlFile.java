package ai.molecule.debian;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses Debian control data (deb822): paragraphs separated by blank lines, {@code Field: value}
 * lines, continuation lines starting with a space or tab. Used for Packages indexes, InRelease,
 * .deb control files and dpkg status.
 */
public final class ControlFile {
    private ControlFile() {}

    /** Paragraphs in order; field names keep their case, values keep continuation lines joined by '\n'. */
    public static List<Map<String, String>> parse(Reader source) throws IOException {
        List<Map<String, String>> paragraphs = new ArrayList<>();
        Map<String, String> current = new LinkedHashMap<>();
        String field = null;
        BufferedReader reader = source instanceof BufferedReader b ? b : new BufferedReader(source, 1 << 16);
        for (String line; (line = reader.readLine()) != null; ) {
            if (line.isBlank()) {
                if (!current.isEmpty()) {
                    paragraphs.add(current);
                    current = new LinkedHashMap<>();
                }
                field = null;
            } else if (line.charAt(0) == ' ' || line.charAt(0) == '\t') {
                if (field != null) {
                    current.merge(field, line.substring(1), (a, b) -> a + "\n" + b);
                }
            } else if (line.charAt(0) != '#') {
                int colon = line.indexOf(':');
                if (colon <= 0) {
                    throw new IOException("control data line is neither 'Field: value' nor a continuation: " + line);
                }
                field = line.substring(0, colon);
                current.put(field, line.substring(colon + 1).strip());
            }
        }
        if (!current.isEmpty()) {
            paragraphs.add(current);
        }
        return paragraphs;
    }

    /** Writes one paragraph in the same syntax (continuation lines indented by one space). */
    public static String format(Map<String, String> paragraph) {
        StringBuilder text = new StringBuilder();
        paragraph.forEach((name, value) -> {
            text.append(name).append(':');
            String[] lines = value.split("\n", -1);
            if (!lines[0].isEmpty()) {
                text.append(' ').append(lines[0]);
            }
            text.append('\n');
            for (int i = 1; i < lines.length; i++) {
                text.append(' ').append(lines[i]).append('\n');
            }
        });
        return text.toString();
    }
}
