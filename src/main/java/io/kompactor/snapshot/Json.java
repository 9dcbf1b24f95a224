package io.kompactor.snapshot;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.PrettyPrinter;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * JSON as the server writes it: serde_json's {@code to_vec_pretty} layout (2-space indent, {@code "key": value},
 * one array element per line, {@code []} and {@code {}} when empty), keys in document order and integers exact.
 */
public final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private Json() {
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** Reads a JSON object; any problem names the file. */
    public static ObjectNode readObject(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new MetadataException(file + ": file not found");
        } catch (IOException e) {
            throw new MetadataException(file + ": cannot read: " + io.kompactor.fs.FileOps.reason(e), e);
        }
        return parseObject(bytes, file.toString());
    }

    public static ObjectNode parseObject(byte[] bytes, String where) {
        JsonNode node;
        try {
            node = MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw new MetadataException(where + ": not valid JSON: " + firstLine(e.getMessage()), e);
        }
        if (node == null || node.isMissingNode()) {
            throw new MetadataException(where + ": empty file, expected a JSON object");
        }
        if (!(node instanceof ObjectNode o)) {
            throw new MetadataException(where + ": expected a JSON object, found " + node.getNodeType());
        }
        return o;
    }

    /** serde_json pretty layout. */
    public static String pretty(JsonNode node) {
        try {
            StringWriter w = new StringWriter();
            try (JsonGenerator g = MAPPER.getFactory().createGenerator(w)) {
                g.setPrettyPrinter(new SerdePrettyPrinter());
                MAPPER.writeTree(g, node);
            }
            return w.toString();
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialise JSON", e);
        }
    }

    public static byte[] prettyBytes(JsonNode node, boolean trailingNewline) {
        String s = pretty(node);
        return (trailingNewline ? s + "\n" : s).getBytes(StandardCharsets.UTF_8);
    }

    public static long requireLong(JsonNode n, String field, String where) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            throw new MetadataException(where + ": missing field \"" + field + "\"");
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw new MetadataException(where + ": field \"" + field + "\" must be a 64-bit integer, found "
                    + abbreviate(v.toString()));
        }
        return v.longValue();
    }

    public static String requireText(JsonNode n, String field, String where) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual()) {
            throw new MetadataException(where + ": missing or non-string field \"" + field + "\"");
        }
        return v.textValue();
    }

    static String abbreviate(String s) {
        return s.length() > 60 ? s.substring(0, 57) + "..." : s;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int i = s.indexOf('\n');
        return i < 0 ? s : s.substring(0, i);
    }

    /** Jackson's default printer writes {@code "a" : 1} and {@code [ ]}; serde writes {@code "a": 1} and {@code []}. */
    static final class SerdePrettyPrinter implements PrettyPrinter {
        private int depth;

        @Override
        public void writeRootValueSeparator(JsonGenerator g) {
        }

        @Override
        public void writeStartObject(JsonGenerator g) throws IOException {
            g.writeRaw('{');
            depth++;
        }

        @Override
        public void writeEndObject(JsonGenerator g, int entries) throws IOException {
            depth--;
            if (entries > 0) {
                newline(g);
            }
            g.writeRaw('}');
        }

        @Override
        public void writeObjectEntrySeparator(JsonGenerator g) throws IOException {
            g.writeRaw(',');
            newline(g);
        }

        @Override
        public void writeObjectFieldValueSeparator(JsonGenerator g) throws IOException {
            g.writeRaw(": ");
        }

        @Override
        public void writeStartArray(JsonGenerator g) throws IOException {
            g.writeRaw('[');
            depth++;
        }

        @Override
        public void writeEndArray(JsonGenerator g, int values) throws IOException {
            depth--;
            if (values > 0) {
                newline(g);
            }
            g.writeRaw(']');
        }

        @Override
        public void writeArrayValueSeparator(JsonGenerator g) throws IOException {
            g.writeRaw(',');
            newline(g);
        }

        @Override
        public void beforeArrayValues(JsonGenerator g) throws IOException {
            newline(g);
        }

        @Override
        public void beforeObjectEntries(JsonGenerator g) throws IOException {
            newline(g);
        }

        private void newline(JsonGenerator g) throws IOException {
            g.writeRaw('\n');
            for (int i = 0; i < depth; i++) {
                g.writeRaw("  ");
            }
        }
    }
}
