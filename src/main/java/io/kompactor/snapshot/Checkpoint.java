package io.kompactor.snapshot;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A parsed {@code snapshot-checkpoints/YYYY-MM/<u64::MAX - last_seq>.checkpoint.json}
 * (3.8.2+, docs/format.md, "Checkpoints").
 */
public record Checkpoint(MetadataDoc doc, String yearMonth, long lastSnapshotSequence,
                         Map<TableKey, List<ParquetFileEntry>> files, Set<Long> pendingRemovedIds) {

    public static Checkpoint read(Path file) {
        MetadataDoc doc = MetadataDoc.read(file, DocKind.CHECKPOINT);
        String where = file.toString();
        String ym = Json.requireText(doc.json(), "year_month", where);
        long last = Json.requireLong(doc.json(), "last_snapshot_sequence_number", where);
        Set<Long> pending = new HashSet<>();
        if (doc.json().has("pending_removed_files")) {
            Map<TableKey, List<ParquetFileEntry>> r = new LinkedHashMap<>();
            MetadataDoc.readDatabases(doc.json().get("pending_removed_files"), "pending_removed_files", where, r);
            r.values().forEach(l -> l.forEach(e -> pending.add(e.id())));
        }
        return new Checkpoint(doc, ym, last, doc.files(), Set.copyOf(pending));
    }
}
