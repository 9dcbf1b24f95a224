package io.kompactor.testing;

import org.apache.arrow.flatbuf.Field;
import org.apache.arrow.flatbuf.KeyValue;
import org.apache.arrow.flatbuf.Message;
import org.apache.arrow.flatbuf.MessageHeader;
import org.apache.arrow.flatbuf.Schema;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the {@code iox::column::type} of every field from a base64 {@code ARROW:schema} value (docs/format.md,
 * "Parquet files written by Core"), straight from the flatbuffer so the oracle shares no code with the product's schema
 * handling.
 */
final class ArrowTags {
    static final String KEY = "iox::column::type";
    static final String TAG = "iox::column_type::tag";

    private ArrowTags() {
    }

    /** Field name to its iox column type ("" when the field has none), in schema order. */
    static Map<String, String> columnTypes(String base64) {
        ByteBuffer buf = ByteBuffer.wrap(Base64.getDecoder().decode(base64.trim())).order(ByteOrder.LITTLE_ENDIAN);
        // arrow-rs frames the message as 0xFFFFFFFF, length, flatbuffer; pre-1.0 writers omit the marker.
        int length = buf.getInt();
        if (length == -1) {
            length = buf.getInt();
        }
        ByteBuffer body = buf.slice().order(ByteOrder.LITTLE_ENDIAN);
        body.limit(Math.min(length, body.remaining()));
        Message message = Message.getRootAsMessage(body);
        if (message.headerType() != MessageHeader.Schema) {
            throw new IllegalArgumentException("ARROW:schema holds message type " + message.headerType());
        }
        Schema schema = (Schema) message.header(new Schema());
        Map<String, String> types = new LinkedHashMap<>();
        for (int i = 0; i < schema.fieldsLength(); i++) {
            Field f = schema.fields(i);
            String type = "";
            for (int j = 0; j < f.customMetadataLength(); j++) {
                KeyValue kv = f.customMetadata(j);
                if (KEY.equals(kv.key())) {
                    type = kv.value();
                }
            }
            types.put(f.name(), type);
        }
        return types;
    }
}
