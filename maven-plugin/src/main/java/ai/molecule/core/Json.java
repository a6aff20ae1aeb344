package ai.molecule.core;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;

/**
 * Every JSON document the plugin reads or writes (the lock, cache entries, image configs, the build
 * report, npm and pip files): jackson-databind's tree types, parsed and printed with jackson-core's
 * streaming parser and generator.
 *
 * <p>Not an {@code ObjectMapper}: building the first one loads some 500 classes, about 0.2 s of a
 * build that finds everything cached. The output is the same bytes {@code ObjectMapper} writes for a
 * tree (compact, or its default pretty printer), so image IDs and locks do not move.
 */
public final class Json {
    private static final JsonFactory FACTORY = new JsonFactory();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private Json() {}

    public static ObjectNode object() {
        return NODES.objectNode();
    }

    public static ArrayNode array() {
        return NODES.arrayNode();
    }

    /** The document in {@code file}; a {@link MissingNode} when it is empty. */
    public static JsonNode read(Path file) throws IOException {
        try (JsonParser parser = FACTORY.createParser(Files.newInputStream(file))) {
            return root(parser);
        }
    }

    public static JsonNode read(String text) throws IOException {
        try (JsonParser parser = FACTORY.createParser(text)) {
            return root(parser);
        }
    }

    /** Compact UTF-8, as {@code ObjectMapper.writeValueAsBytes}. */
    public static byte[] bytes(JsonNode node) {
        return render(node, false);
    }

    public static String text(JsonNode node) {
        return new String(render(node, false), StandardCharsets.UTF_8);
    }

    /** Indented with the default pretty printer, as {@code writerWithDefaultPrettyPrinter()}. */
    public static String pretty(JsonNode node) {
        return new String(render(node, true), StandardCharsets.UTF_8);
    }

    /** Writes {@code node} to {@code file}, compact. */
    public static void write(Path file, JsonNode node) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            write(node, out, false);
        }
    }

    private static byte[] render(JsonNode node, boolean pretty) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            write(node, out, pretty);
        } catch (IOException e) {
            throw new UncheckedIOException("in-memory JSON did not write", e);
        }
        return out.toByteArray();
    }

    private static void write(JsonNode node, OutputStream out, boolean pretty) throws IOException {
        try (JsonGenerator generator = FACTORY.createGenerator(out)) {
            if (pretty) {
                generator.useDefaultPrettyPrinter();
            }
            value(generator, node);
        }
    }

    private static JsonNode root(JsonParser parser) throws IOException {
        return parser.nextToken() == null ? MissingNode.getInstance() : value(parser);
    }

    private static JsonNode value(JsonParser parser) throws IOException {
        JsonToken token = parser.currentToken();
        switch (token) {
            case START_OBJECT:
                ObjectNode object = NODES.objectNode();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String name = parser.currentName();
                    parser.nextToken();
                    object.set(name, value(parser));
                }
                return object;
            case START_ARRAY:
                ArrayNode array = NODES.arrayNode();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    array.add(value(parser));
                }
                return array;
            case VALUE_STRING:
                return NODES.textNode(parser.getText());
            case VALUE_NUMBER_INT:
                return switch (parser.getNumberType()) {
                    case INT -> NODES.numberNode(parser.getIntValue());
                    case LONG -> NODES.numberNode(parser.getLongValue());
                    default -> NODES.numberNode(parser.getBigIntegerValue());
                };
            case VALUE_NUMBER_FLOAT:
                return NODES.numberNode(parser.getDoubleValue());
            case VALUE_TRUE:
                return NODES.booleanNode(true);
            case VALUE_FALSE:
                return NODES.booleanNode(false);
            case VALUE_NULL:
                return NODES.nullNode();
            default:
                throw new IOException("unexpected " + token + " at " + parser.currentLocation());
        }
    }

    private static void value(JsonGenerator generator, JsonNode node) throws IOException {
        switch (node.getNodeType()) {
            case OBJECT -> {
                generator.writeStartObject();
                for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> field = it.next();
                    generator.writeFieldName(field.getKey());
                    value(generator, field.getValue());
                }
                generator.writeEndObject();
            }
            case ARRAY -> {
                generator.writeStartArray();
                for (JsonNode element : node) {
                    value(generator, element);
                }
                generator.writeEndArray();
            }
            case STRING -> generator.writeString(node.textValue());
            case NUMBER -> {
                switch (node.numberType()) {
                    case INT -> generator.writeNumber(node.intValue());
                    case LONG -> generator.writeNumber(node.longValue());
                    case BIG_INTEGER -> generator.writeNumber(node.bigIntegerValue());
                    case FLOAT -> generator.writeNumber(node.floatValue());
                    case BIG_DECIMAL -> generator.writeNumber(node.decimalValue());
                    default -> generator.writeNumber(node.doubleValue());
                }
            }
            case BOOLEAN -> generator.writeBoolean(node.booleanValue());
            case NULL -> generator.writeNull();
            default -> throw new IllegalArgumentException("not a JSON value: " + node.getNodeType());
        }
    }
}
