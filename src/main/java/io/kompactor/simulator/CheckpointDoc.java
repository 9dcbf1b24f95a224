package io.kompactor.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.YearMonth;
import java.time.format.DateTimeParseException;

/**
 * One {@code snapshot-checkpoints/YYYY-MM/*.checkpoint.json} (docs/format.md, "Checkpoints"): the files of every
 * snapshot of one month up to {@code lastSnapshotSeq}, cumulative for that month, plus the removals of earlier months'
 * files.
 *
 * @param nextFileId {@code Option<ParquetFileId>}: null when the document says null or nothing
 */
public record CheckpointDoc(String nodeId, YearMonth month, long lastSnapshotSeq, Long nextFileId, long walSeq,
                            long catalogSeq, FileListing databases, FileListing pendingRemovedFiles) {

    static CheckpointDoc parse(ObjectNode o, String where) {
        String ym = SimJson.textField(o, "year_month", where);
        YearMonth month;
        try {
            month = YearMonth.parse(ym);
        } catch (DateTimeParseException e) {
            throw new SimulatorException(where + ": year_month is not YYYY-MM: " + ym, e);
        }
        JsonNode next = o.get("next_file_id");
        return new CheckpointDoc(SimJson.textField(o, "node_id", where), month,
                SimJson.longField(o, "last_snapshot_sequence_number", where),
                next == null || next.isNull() ? null : SimJson.longField(o, "next_file_id", where),
                SimJson.longField(o, "wal_file_sequence_number", where),
                SimJson.longField(o, "catalog_sequence_number", where),
                FileListing.fromJson(o.get("databases"), where + " databases"),
                FileListing.fromJson(o.get("pending_removed_files"), where + " pending_removed_files"));
    }

    ObjectNode toJson() {
        ObjectNode o = SimJson.MAPPER.createObjectNode();
        o.put("version", "1");
        o.put("node_id", nodeId);
        o.put("year_month", month.toString());
        o.put("last_snapshot_sequence_number", lastSnapshotSeq);
        if (nextFileId == null) {
            o.putNull("next_file_id");
        } else {
            o.put("next_file_id", nextFileId);
        }
        o.put("wal_file_sequence_number", walSeq);
        o.put("catalog_sequence_number", catalogSeq);
        Totals.of(databases.allFiles(), Totals.EMPTY_SNAPSHOT).putInto(o);
        o.set("databases", databases.toJson());
        o.set("pending_removed_files", pendingRemovedFiles.toJson());
        return o;
    }
}
