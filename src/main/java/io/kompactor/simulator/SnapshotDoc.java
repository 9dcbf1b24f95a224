package io.kompactor.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;

/**
 * One {@code snapshots/*.info.json} (docs/format.md, "Fields and eras"): the files ONE snapshot persisted (snapshots
 * are incremental), the files it removed, and the counters the server resumes from.
 *
 * @param version        {@code "1"} from 3.0; null for the alpha / pre-alpha shape, which has none
 * @param hasRemovedFiles whether the document has {@code removed_files} at all (3.2+): it decides the default N
 * @param persistedAt    the file's mtime, which the server reads as {@code persisted_at} (never
 *                       serialised, docs/format.md, "Fields and eras")
 */
public record SnapshotDoc(String version, String nodeId, long nextFileId, long snapshotSeq, long walSeq,
                          long catalogSeq, FileListing databases, FileListing removedFiles, boolean hasRemovedFiles,
                          Instant persistedAt) {

    /**
     * Reads any era: {@code node_id}, its alias {@code writer_id} (alpha), or {@code host_id} (pre-alpha). The
     * totals are not read: nothing in the load depends on them.
     */
    static SnapshotDoc parse(ObjectNode o, String where, Instant mtime) {
        JsonNode version = o.get("version");
        if (version != null && !"1".equals(version.asText())) {
            throw new SimulatorException(where + ": unknown snapshot version " + version);
        }
        String node = o.has("node_id") ? SimJson.textField(o, "node_id", where)
                : o.has("writer_id") ? SimJson.textField(o, "writer_id", where)
                : SimJson.textField(o, "host_id", where);
        return new SnapshotDoc(version == null ? null : version.asText(), node,
                SimJson.longField(o, "next_file_id", where), SimJson.longField(o, "snapshot_sequence_number", where),
                SimJson.longField(o, "wal_file_sequence_number", where),
                SimJson.longField(o, "catalog_sequence_number", where),
                FileListing.fromJson(o.get("databases"), where + " databases"),
                FileListing.fromJson(o.get("removed_files"), where + " removed_files"),
                o.has("removed_files"), mtime);
    }

    /**
     * The 3.2+ shape in serde's field order. Totals cover the ADDED files only and are not reduced for removals;
     * a removal-only snapshot keeps the {@code i64::MAX / i64::MIN} defaults (docs/format.md, "Totals").
     */
    ObjectNode toJson() {
        ObjectNode o = SimJson.MAPPER.createObjectNode();
        o.put("version", "1");
        o.put("node_id", nodeId);
        o.put("next_file_id", nextFileId);
        o.put("snapshot_sequence_number", snapshotSeq);
        o.put("wal_file_sequence_number", walSeq);
        o.put("catalog_sequence_number", catalogSeq);
        Totals.of(databases.allFiles(), Totals.EMPTY_SNAPSHOT).putInto(o);
        o.set("databases", databases.toJson());
        o.set("removed_files", removedFiles.toJson());
        return o;
    }

    /** {@code max_time} as the document states it: the newest row of the added files, or {@code i64::MIN}. */
    long maxTime() {
        return Totals.of(databases.allFiles(), Totals.EMPTY_SNAPSHOT).maxTime();
    }
}
