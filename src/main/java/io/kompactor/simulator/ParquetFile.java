package io.kompactor.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One entry of a snapshot's, checkpoint's or table index's file list, with serde's field order (docs/format.md,
 * "Fields and eras"). {@code path} is the object path relative to the data dir; {@code chunkTime} the gen1 bucket start
 * in ns.
 */
public record ParquetFile(long id, String path, long sizeBytes, long rowCount, long chunkTime, long minTime,
                          long maxTime) {

    ObjectNode toJson() {
        ObjectNode o = SimJson.MAPPER.createObjectNode();
        o.put("id", id);
        o.put("path", path);
        o.put("size_bytes", sizeBytes);
        o.put("row_count", rowCount);
        o.put("chunk_time", chunkTime);
        o.put("min_time", minTime);
        o.put("max_time", maxTime);
        return o;
    }

    /**
     * Every field is required (docs/format.md, "Fields and eras"): a missing or non-integer one is an error naming
     * {@code where}.
     */
    static ParquetFile fromJson(JsonNode f, String where) {
        JsonNode path = f.get("path");
        if (path == null || !path.isTextual()) {
            throw new SimulatorException(where + ": file entry without a string path: " + f);
        }
        return new ParquetFile(SimJson.longField(f, "id", where), path.textValue(),
                SimJson.longField(f, "size_bytes", where), SimJson.longField(f, "row_count", where),
                SimJson.longField(f, "chunk_time", where), SimJson.longField(f, "min_time", where),
                SimJson.longField(f, "max_time", where));
    }
}
