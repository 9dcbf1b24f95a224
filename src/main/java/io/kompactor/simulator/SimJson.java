package io.kompactor.simulator;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Path;

/** Reading and writing the server's JSON documents. */
final class SimJson {
    static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /**
     * serde_json's {@code to_vec_pretty} (docs/format.md, "Serde layout"): 2-space indent, {@code "key": value}, one
     * array element per line, {@code []} when empty, no trailing newline. Jackson's printer gets there with these
     * separators.
     */
    private static final ObjectWriter SERDE_PRETTY = MAPPER.writer(new DefaultPrettyPrinter(
            Separators.createDefaultInstance()
                    .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                    .withObjectEmptySeparator("")
                    .withArrayEmptySeparator(""))
            .withObjectIndenter(new DefaultIndenter("  ", "\n"))
            .withArrayIndenter(new DefaultIndenter("  ", "\n")));

    private SimJson() {
    }

    static byte[] pretty(JsonNode node) {
        try {
            return SERDE_PRETTY.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new SimulatorException("cannot serialise JSON", e);
        }
    }

    static ObjectNode readObject(Path file) {
        JsonNode n;
        try {
            n = MAPPER.readTree(file.toFile());
        } catch (IOException e) {
            // A snapshot that does not parse fails the server's startup, and so does it here
            // (docs/format.md, "How many snapshots").
            throw new SimulatorException(file + ": cannot read JSON: " + e.getMessage(), e);
        }
        if (!(n instanceof ObjectNode o)) {
            throw new SimulatorException(file + ": expected a JSON object");
        }
        return o;
    }

    static long longField(JsonNode n, String field, String where) {
        JsonNode v = n.get(field);
        if (v == null || !v.isIntegralNumber() || !v.canConvertToLong()) {
            throw new SimulatorException(where + ": field \"" + field + "\" must be a 64-bit integer, found " + v);
        }
        return v.longValue();
    }

    static String textField(JsonNode n, String field, String where) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual()) {
            throw new SimulatorException(where + ": missing or non-string field \"" + field + "\"");
        }
        return v.textValue();
    }

    static void putJson(Path target, JsonNode node) {
        ObjectStore.put(target, pretty(node));
    }
}
