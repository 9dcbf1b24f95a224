package io.kompactor.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code db-indices/<db>/<table>/index.info.json} (docs/format.md, "Table index"): every file of one table, sorted by
 * id. The server keeps them in a set ordered by id, so two entries with the same id collapse into the first
 * (docs/format.md, "File ids").
 */
public record TableIndexDoc(String nodeId, TableRef table, List<ParquetFile> files, long latestSnapshotSeq) {

    public TableIndexDoc {
        Map<Long, ParquetFile> byId = new TreeMap<>();
        files.forEach(f -> byId.putIfAbsent(f.id(), f));
        files = List.copyOf(byId.values());
    }

    static TableIndexDoc empty(String nodeId, TableRef table) {
        return new TableIndexDoc(nodeId, table, List.of(), 0);
    }

    ObjectNode toJson() {
        ObjectNode o = SimJson.MAPPER.createObjectNode();
        o.put("node_id", nodeId);
        o.put("db_id", table.dbId());
        o.put("table_id", table.tableId());
        ArrayNode arr = o.putArray("files");
        files.forEach(f -> arr.add(f.toJson()));
        o.put("latest_snapshot_sequence_number", latestSnapshotSeq);
        Totals.of(files, Totals.EMPTY_INDEX).putInto(o);
        return o;
    }

    static TableIndexDoc parse(ObjectNode o, String where) {
        return new TableIndexDoc(SimJson.textField(o, "node_id", where),
                new TableRef(SimJson.longField(o, "db_id", where), SimJson.longField(o, "table_id", where)),
                filesOf(o.get("files"), where), SimJson.longField(o, "latest_snapshot_sequence_number", where));
    }

    static List<ParquetFile> filesOf(JsonNode arr, String where) {
        List<ParquetFile> out = new ArrayList<>();
        if (arr != null) {
            for (JsonNode f : arr) {
                out.add(ParquetFile.fromJson(f, where));
            }
        }
        out.sort(Comparator.comparingLong(ParquetFile::id));
        return out;
    }
}
