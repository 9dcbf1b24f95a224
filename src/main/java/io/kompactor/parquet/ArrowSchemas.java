package io.kompactor.parquet;

import com.google.flatbuffers.FlatBufferBuilder;
import org.apache.arrow.flatbuf.Endianness;
import org.apache.arrow.flatbuf.KeyValue;
import org.apache.arrow.flatbuf.MessageHeader;
import org.apache.arrow.vector.ipc.ReadChannel;
import org.apache.arrow.vector.ipc.WriteChannel;
import org.apache.arrow.vector.ipc.message.FBSerializables;
import org.apache.arrow.vector.ipc.message.MessageMetadataResult;
import org.apache.arrow.vector.ipc.message.MessageSerializer;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.DictionaryEncoding;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code ARROW:schema} parquet key-value entry as arrow-rs writes it (continuation marker, length, IPC Schema
 * message, base64) and the {@code iox::series::key*} schema metadata Core puts in it.
 */
public final class ArrowSchemas {

    public static final String KV_KEY = "ARROW:schema";
    public static final String SERIES_KEY_V2 = "iox::series::key::v2";
    public static final String SERIES_KEY_V1 = "iox::series::key";

    private static final ArrowType.Int INT32 = new ArrowType.Int(32, true);

    private ArrowSchemas() {
    }

    /** Encodes columns with the Arrow types Core uses, plus the given schema-level metadata. */
    public static String encode(List<ColumnSpec> columns, Map<String, String> schemaMetadata) {
        List<Field> fields = new ArrayList<>(columns.size());
        long dictionaryId = 0;
        for (ColumnSpec c : columns) {
            Map<String, String> meta = Map.of(InfluxType.FIELD_METADATA_KEY, c.type().ioxColumnType());
            FieldType ft = switch (c.type()) {
                // Every dictionary needs its own id in an IPC schema, even if nothing reads the ids back.
                case TAG -> new FieldType(true, ArrowType.Utf8.INSTANCE,
                        new DictionaryEncoding(dictionaryId++, false, INT32), meta);
                case FLOAT -> new FieldType(true, new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE), null, meta);
                case INTEGER -> new FieldType(true, new ArrowType.Int(64, true), null, meta);
                case UINTEGER -> new FieldType(true, new ArrowType.Int(64, false), null, meta);
                case STRING -> new FieldType(true, ArrowType.Utf8.INSTANCE, null, meta);
                case BOOLEAN -> new FieldType(true, ArrowType.Bool.INSTANCE, null, meta);
                case TIME -> new FieldType(false, new ArrowType.Timestamp(TimeUnit.NANOSECOND, null), null, meta);
            };
            fields.add(new Field(c.name(), ft, null));
        }
        // This is what pojo.Schema#getSchema does. We avoid pojo.Schema: its static initializer builds a Jackson
        // reader and fails when jackson-databind and jackson-annotations versions differ on the classpath.
        FlatBufferBuilder b = new FlatBufferBuilder();
        int[] fieldOffsets = fields.stream().mapToInt(f -> f.getField(b)).toArray();
        int fieldsVector = org.apache.arrow.flatbuf.Schema.createFieldsVector(b, fieldOffsets);
        int metadataVector = FBSerializables.writeKeyValues(b, new LinkedHashMap<>(schemaMetadata));
        org.apache.arrow.flatbuf.Schema.startSchema(b);
        org.apache.arrow.flatbuf.Schema.addEndianness(b, Endianness.Little);
        org.apache.arrow.flatbuf.Schema.addFields(b, fieldsVector);
        org.apache.arrow.flatbuf.Schema.addCustomMetadata(b, metadataVector);
        int schemaOffset = org.apache.arrow.flatbuf.Schema.endSchema(b);
        ByteBuffer message = MessageSerializer.serializeMessage(b, MessageHeader.Schema, schemaOffset, 0);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            // Writes 0xFFFFFFFF, the little-endian length and the flatbuffer: the framing arrow-rs uses for ARROW:schema.
            MessageSerializer.writeMessageBuffer(new WriteChannel(Channels.newChannel(bytes)), message.remaining(), message);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // in-memory stream: cannot happen
        }
        return Base64.getEncoder().encodeToString(bytes.toByteArray());
    }

    /** The {@code iox::series::key::v2} value: per key a u32 little-endian byte length and the UTF-8 bytes. */
    public static String seriesKeyV2(List<String> keys) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String k : keys) {
            byte[] b = k.getBytes(StandardCharsets.UTF_8);
            out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(b.length).array());
            out.writeBytes(b);
        }
        return Base64.getEncoder().encodeToString(out.toByteArray());
    }

    /** Inverse of {@link #seriesKeyV2}. */
    public static List<String> decodeSeriesKeyV2(String value) {
        ByteBuffer buf = ByteBuffer.wrap(Base64.getDecoder().decode(value)).order(ByteOrder.LITTLE_ENDIAN);
        List<String> keys = new ArrayList<>();
        while (buf.hasRemaining()) {
            if (buf.remaining() < 4) {
                throw new IllegalArgumentException("truncated " + SERIES_KEY_V2 + " value: " + value);
            }
            int len = buf.getInt();
            if (len < 0 || len > buf.remaining()) {
                throw new IllegalArgumentException("bad length " + len + " in " + SERIES_KEY_V2 + " value: " + value);
            }
            byte[] b = new byte[len];
            buf.get(b);
            keys.add(new String(b, StandardCharsets.UTF_8));
        }
        return keys;
    }

    /**
     * Parses an {@code ARROW:schema} value. The series key comes from v2 if present, else from v1 (split on '/',
     * which is ambiguous when a tag name contains '/'; Core 3.1–3.3 wrote it that way, so we accept it).
     *
     * @throws IllegalArgumentException if the value is not a readable Arrow schema or a field has no known type
     */
    public static ArrowSchemaInfo decode(String base64) {
        Parsed parsed = parse(base64);
        List<Field> fields = parsed.fields();
        Map<String, String> meta = parsed.metadata();
        List<ColumnSpec> columns = new ArrayList<>();
        for (Field f : fields) {
            columns.add(new ColumnSpec(f.getName(), typeOf(f)));
        }
        List<String> seriesKey;
        if (meta.containsKey(SERIES_KEY_V2)) {
            seriesKey = decodeSeriesKeyV2(meta.get(SERIES_KEY_V2));
        } else if (meta.containsKey(SERIES_KEY_V1) && !meta.get(SERIES_KEY_V1).isEmpty()) {
            seriesKey = Arrays.asList(meta.get(SERIES_KEY_V1).split("/", -1));
        } else {
            seriesKey = List.of();
        }
        return new ArrowSchemaInfo(columns, seriesKey, meta);
    }

    /** The Arrow fields and schema metadata of an encoded schema, for callers that need the Arrow types. */
    record Parsed(List<Field> fields, Map<String, String> metadata) {
    }

    static Parsed parse(String base64) {
        List<Field> fields = new ArrayList<>();
        Map<String, String> meta = new LinkedHashMap<>();
        try {
            byte[] bytes = Base64.getDecoder().decode(base64.trim());
            checkDeclaredLength(bytes);
            MessageMetadataResult result = MessageSerializer.readMessage(
                    new ReadChannel(Channels.newChannel(new ByteArrayInputStream(bytes))));
            if (result == null || result.getMessage().headerType() != MessageHeader.Schema) {
                throw new IllegalArgumentException("not an Arrow IPC Schema message");
            }
            var schema = (org.apache.arrow.flatbuf.Schema) result.getMessage().header(new org.apache.arrow.flatbuf.Schema());
            for (int i = 0; i < schema.fieldsLength(); i++) {
                fields.add(Field.convertField(schema.fields(i)));
            }
            for (int i = 0; i < schema.customMetadataLength(); i++) {
                KeyValue kv = schema.customMetadata(i);
                meta.put(kv.key(), kv.value());
            }
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("unreadable " + KV_KEY + ": " + e.getMessage(), e);
        }
        return new Parsed(fields, meta);
    }

    /** Arrow Java allocates whatever length the prefix declares: refuse a length the bytes cannot hold. */
    private static void checkDeclaredLength(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int offset = bytes.length >= 4 && b.getInt(0) == MessageSerializer.IPC_CONTINUATION_TOKEN ? 4 : 0;
        if (bytes.length < offset + 4) {
            throw new IllegalArgumentException("too short for an Arrow IPC message");
        }
        int declared = b.getInt(offset);
        if (declared <= 0 || declared > bytes.length - offset - 4) {
            throw new IllegalArgumentException("declared message length " + Integer.toUnsignedString(declared)
                    + " does not fit in " + bytes.length + " bytes");
        }
    }

    /** From the iox metadata, or for a field without it (not written by Core), from the Arrow type. */
    private static InfluxType typeOf(Field f) {
        String iox = f.getMetadata() == null ? null : f.getMetadata().get(InfluxType.FIELD_METADATA_KEY);
        if (iox != null) {
            return InfluxType.fromIoxColumnType(iox);
        }
        if (f.getDictionary() != null) {
            return InfluxType.TAG;
        }
        ArrowType t = f.getType();
        if (t instanceof ArrowType.Timestamp) {
            return InfluxType.TIME;
        } else if (t instanceof ArrowType.FloatingPoint) {
            return InfluxType.FLOAT;
        } else if (t instanceof ArrowType.Int i && i.getBitWidth() == 64) {
            return i.getIsSigned() ? InfluxType.INTEGER : InfluxType.UINTEGER;
        } else if (t instanceof ArrowType.Utf8 || t instanceof ArrowType.LargeUtf8 || t instanceof ArrowType.Utf8View) {
            return InfluxType.STRING;
        } else if (t instanceof ArrowType.Bool) {
            return InfluxType.BOOLEAN;
        }
        throw new IllegalArgumentException("column " + f.getName() + " has Arrow type " + t
                + " and no " + InfluxType.FIELD_METADATA_KEY + " metadata");
    }
}
