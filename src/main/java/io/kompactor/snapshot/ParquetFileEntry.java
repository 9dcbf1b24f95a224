package io.kompactor.snapshot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One {@code ParquetFile} as the server lists it in snapshots, checkpoints and table indices.
 * Times are nanoseconds since the epoch; {@code path} is the object-store path relative to the data dir.
 */
public record ParquetFileEntry(long id, String path, long sizeBytes, long rowCount,
                               long chunkTime, long minTime, long maxTime) {

    public static ParquetFileEntry fromJson(JsonNode n, String where) {
        return new ParquetFileEntry(
                Json.requireLong(n, "id", where),
                Json.requireText(n, "path", where),
                Json.requireLong(n, "size_bytes", where),
                Json.requireLong(n, "row_count", where),
                Json.requireLong(n, "chunk_time", where),
                Json.requireLong(n, "min_time", where),
                Json.requireLong(n, "max_time", where));
    }

    /** Field order as serde writes it. */
    public ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("id", id);
        o.put("path", path);
        o.put("size_bytes", sizeBytes);
        o.put("row_count", rowCount);
        o.put("chunk_time", chunkTime);
        o.put("min_time", minTime);
        o.put("max_time", maxTime);
        return o;
    }
}
