package ai.molecule.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The JSON pieces every ecosystem's section of {@code molecule.lock} is written with and read from. */
public final class LockJson {
    private LockJson() {}

    public static void array(ObjectNode node, String field, List<String> values) {
        ArrayNode array = node.putArray(field);
        values.forEach(array::add);
    }

    public static List<String> texts(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }

    /** {@code null} for a missing or JSON-null field. */
    public static String textOrNull(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isMissingNode() || value.isNull() ? null : value.asText();
    }

    /** {@code added [..], removed [..]}: how a list of inputs moved, for a drift message. */
    public static String addedRemoved(List<String> locked, List<String> current) {
        List<String> added = new ArrayList<>(current);
        added.removeAll(locked);
        List<String> removed = new ArrayList<>(locked);
        removed.removeAll(current);
        return "added " + added + ", removed " + removed;
    }

    /** Refuses an entry that lacks one of {@code fields}, naming the lock file, the entry and the fix. */
    public static void requireFields(JsonNode entry, Path file, String ecosystem, String... fields)
            throws MoleculeException {
        for (String field : fields) {
            if (entry.path(field).asText("").isEmpty()) {
                throw new MoleculeException(file + ": the " + ecosystem + " entry " + entry + " has no '" + field
                        + "' (each needs " + String.join(", ", fields) + "). Run `mvn molecule:lock` to write the lock"
                        + " again");
            }
        }
    }
}
