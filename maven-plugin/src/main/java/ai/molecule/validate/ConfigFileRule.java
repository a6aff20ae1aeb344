package ai.molecule.validate;

import ai.molecule.core.BuildLog;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Every {@code .yaml}/{@code .yml} (all its documents), {@code .toml} and {@code .json} file parses. */
public final class ConfigFileRule implements Rule {
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final TomlMapper TOML = new TomlMapper();

    @Override
    public String name() {
        return "config files";
    }

    @Override
    public Outcome check(Template template, BuildLog log) throws IOException {
        List<Violation> violations = new ArrayList<>();
        int checked = 0;
        for (Path file : template.filesToScan()) {
            String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
            String format;
            if (name.endsWith(".yaml") || name.endsWith(".yml")) {
                format = "YAML";
            } else if (name.endsWith(".toml")) {
                format = "TOML";
            } else if (name.endsWith(".json")) {
                format = "JSON";
            } else {
                continue;
            }
            checked++;
            try {
                parse(format, file);
            } catch (JsonProcessingException e) {
                JsonLocation at = e.getLocation();
                int line = at == null ? 0 : Math.max(at.getLineNr(), 0);
                int column = at == null ? -1 : at.getColumnNr();
                violations.add(new Violation(
                        template.display(file),
                        line,
                        format + " does not parse" + (column > 0 ? " (column " + column + ")" : "") + ": "
                                + summary(e.getOriginalMessage()),
                        "Fix the " + format + " syntax at that spot"));
            }
        }
        return new Outcome(checked, violations);
    }

    /**
     * The parser's own words without the quoted excerpt: SnakeYAML indents the excerpt of the file
     * (which could hold a secret) and its location lines, and starts its sentences at column 0.
     */
    private static String summary(String message) {
        return String.join(
                "; ",
                message.lines()
                        .filter(line -> !line.isBlank() && !Character.isWhitespace(line.charAt(0)))
                        .toList());
    }

    private static void parse(String format, Path file) throws IOException {
        switch (format) {
            case "YAML" -> {
                try (MappingIterator<JsonNode> documents =
                        YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
                    while (documents.hasNextValue()) {
                        documents.nextValue();
                    }
                }
            }
            case "TOML" -> TOML.readTree(file.toFile());
            default -> JSON.readTree(file.toFile());
        }
    }
}
