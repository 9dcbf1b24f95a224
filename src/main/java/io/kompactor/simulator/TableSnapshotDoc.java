package io.kompactor.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code table-snapshots/<db>/<table>/<seq:020>.info.json} (docs/format.md, "Table index"): one snapshot's files and
 * removed ids for one table, with the ids and totals flattened into the object. Transient: merged into the table index,
 * then deleted.
 */
record TableSnapshotDoc(String nodeId, TableRef table, long snapshotSeq, List<ParquetFile> files,
                        List<Long> removedIds) {

    TableSnapshotDoc {
        files = List.copyOf(files);
        removedIds = List.copyOf(removedIds);
    }

    ObjectNode toJson() {
        ObjectNode o = SimJson.MAPPER.createObjectNode();
        o.put("node_id", nodeId);
        o.put("db_id", table.dbId());
        o.put("table_id", table.tableId());
        o.put("snapshot_sequence_number", snapshotSeq);
        ArrayNode arr = o.putArray("files");
        files.forEach(f -> arr.add(f.toJson()));
        ArrayNode removed = o.putArray("removed_files");
        removedIds.forEach(removed::add);
        Totals.of(files, Totals.EMPTY_INDEX).putInto(o);
        return o;
    }

    static TableSnapshotDoc parse(ObjectNode o, String where) {
        List<Long> removed = new ArrayList<>();
        JsonNode r = o.get("removed_files");
        if (r != null) {
            r.forEach(id -> removed.add(id.longValue()));
        }
        return new TableSnapshotDoc(SimJson.textField(o, "node_id", where),
                new TableRef(SimJson.longField(o, "db_id", where), SimJson.longField(o, "table_id", where)),
                SimJson.longField(o, "snapshot_sequence_number", where),
                TableIndexDoc.filesOf(o.get("files"), where), removed);
    }
}
