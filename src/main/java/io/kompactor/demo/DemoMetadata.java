package io.kompactor.demo;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kompactor.snapshot.ParquetFileEntry;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The JSON documents Core writes, with serde's field order (docs/format.md, "Snapshot JSON", "Checkpoints",
 * "Table index"); totals are always recomputed from the files listed, as the server does.
 */
final class DemoMetadata {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private DemoMetadata() {
    }

    /** Sequence numbers a snapshot or checkpoint carries besides its files. */
    record Sequences(long snapshotSeq, long nextFileId, long walSeq, long catalogSeq) {
    }

    static ObjectNode snapshot(String nodeId, Sequences seq, List<WrittenFile> files) {
        ObjectNode o = F.objectNode();
        o.put("version", "1");
        o.put("node_id", nodeId);
        o.put("next_file_id", seq.nextFileId());
        o.put("snapshot_sequence_number", seq.snapshotSeq());
        o.put("wal_file_sequence_number", seq.walSeq());
        o.put("catalog_sequence_number", seq.catalogSeq());
        totals(o, files.stream().map(WrittenFile::entry).toList());
        o.set("databases", databases(files));
        o.set("removed_files", F.arrayNode());
        return o;
    }

    /** A checkpoint of every file listed up to and including {@code seq.snapshotSeq()}. */
    static ObjectNode checkpoint(String nodeId, String yearMonth, Sequences seq, List<WrittenFile> files) {
        ObjectNode o = F.objectNode();
        o.put("version", "1");
        o.put("node_id", nodeId);
        o.put("year_month", yearMonth);
        o.put("last_snapshot_sequence_number", seq.snapshotSeq());
        o.put("next_file_id", seq.nextFileId());
        o.put("wal_file_sequence_number", seq.walSeq());
        o.put("catalog_sequence_number", seq.catalogSeq());
        totals(o, files.stream().map(WrittenFile::entry).toList());
        o.set("databases", databases(files));
        o.set("pending_removed_files", F.arrayNode());
        return o;
    }

    static ObjectNode tableIndex(String nodeId, int db, int table, long latestSnapshotSeq, List<WrittenFile> files) {
        List<ParquetFileEntry> entries = files.stream().map(WrittenFile::entry)
                .sorted(Comparator.comparingLong(ParquetFileEntry::id)).toList();
        ObjectNode o = F.objectNode();
        o.put("node_id", nodeId);
        o.put("db_id", db);
        o.put("table_id", table);
        ArrayNode arr = o.putArray("files");
        entries.forEach(e -> arr.add(e.toJson()));
        o.put("latest_snapshot_sequence_number", latestSnapshotSeq);
        totals(o, entries);
        return o;
    }

    static ObjectNode conversionMarker(long lastSeq) {
        ObjectNode o = F.objectNode();
        o.put("last_sequence_number", lastSeq);
        return o;
    }

    /** Empty lists keep the server's defaults i64::MAX / i64::MIN (docs/format.md, "Totals"). */
    private static void totals(ObjectNode o, Collection<ParquetFileEntry> files) {
        o.put("parquet_size_bytes", files.stream().mapToLong(ParquetFileEntry::sizeBytes).sum());
        o.put("row_count", files.stream().mapToLong(ParquetFileEntry::rowCount).sum());
        o.put("min_time", files.stream().mapToLong(ParquetFileEntry::minTime).min().orElse(Long.MAX_VALUE));
        o.put("max_time", files.stream().mapToLong(ParquetFileEntry::maxTime).max().orElse(Long.MIN_VALUE));
    }

    /** {@code [[db, {"tables": [[table, [file...]]]}]]}: one entry per id, files in the order given. */
    private static ArrayNode databases(List<WrittenFile> files) {
        Map<Integer, Map<Integer, ArrayNode>> byDb = new TreeMap<>();
        for (WrittenFile f : files) {
            byDb.computeIfAbsent(f.db(), d -> new TreeMap<>()).computeIfAbsent(f.table(), t -> F.arrayNode())
                    .add(f.entry().toJson());
        }
        ArrayNode dbs = F.arrayNode();
        byDb.forEach((db, tables) -> {
            ArrayNode tableList = F.arrayNode();
            tables.forEach((table, list) -> tableList.add(F.arrayNode().add(table).add(list)));
            ObjectNode dbTables = F.objectNode();
            dbTables.set("tables", tableList);
            dbs.add(F.arrayNode().add(db).add(dbTables));
        });
        return dbs;
    }
}
