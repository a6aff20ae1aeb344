package ai.molecule.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Json} against the {@code ObjectMapper} it stands in for: the same trees and the same bytes. */
class JsonTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String DOCUMENT =
            "{\"s\":\"a \\\"quoted\\\" \\u00e9 \\n line\",\"i\":7,\"l\":9007199254740993,"
                    + "\"big\":123456789012345678901234567890,\"d\":1.5e-3,\"t\":true,\"f\":false,\"n\":null,"
                    + "\"empty\":{},\"none\":[],\"nested\":[{\"k\":[1,\"two\",{}]},[]],\"dup\":1,\"dup\":2}";

    @TempDir
    Path dir;

    @Test
    void readsTheTreeObjectMapperReads() throws Exception {
        assertThat(Json.read(DOCUMENT)).isEqualTo(MAPPER.readTree(DOCUMENT));
        Path file = Files.writeString(dir.resolve("doc.json"), DOCUMENT);
        assertThat(Json.read(file)).isEqualTo(MAPPER.readTree(file.toFile()));
    }

    @Test
    void writesTheBytesObjectMapperWritesCompactAndPretty() throws Exception {
        JsonNode tree = MAPPER.readTree(DOCUMENT);

        assertThat(Json.bytes(tree)).isEqualTo(MAPPER.writeValueAsBytes(tree));
        assertThat(Json.text(tree)).isEqualTo(MAPPER.writeValueAsString(tree));
        assertThat(Json.pretty(tree))
                .isEqualTo(MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(tree));
        Path file = dir.resolve("out.json");
        Json.write(file, tree);
        assertThat(Files.readString(file, StandardCharsets.UTF_8)).isEqualTo(MAPPER.writeValueAsString(tree));
    }

    @Test
    void anEmptyFileIsMissingAndBrokenJsonIsRefused() throws Exception {
        assertThat(Json.read(Files.writeString(dir.resolve("empty.json"), "")).isMissingNode())
                .isTrue();
        assertThatThrownBy(() -> Json.read("{\"digest\": \"sha256:")).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> Json.read(dir.resolve("absent.json"))).isInstanceOf(IOException.class);
    }
}
