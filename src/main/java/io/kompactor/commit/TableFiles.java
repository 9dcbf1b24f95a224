package io.kompactor.commit;

import io.kompactor.snapshot.ParquetFileEntry;
import io.kompactor.snapshot.TableKey;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Files of one table, as journaled: what a transaction added to or removed from one metadata file. */
public record TableFiles(long dbId, long tableId, List<ParquetFileEntry> files) {
    public TableFiles {
        files = List.copyOf(files);
    }

    public TableKey table() {
        return new TableKey(dbId, tableId);
    }

    public static List<TableFiles> of(Map<TableKey, List<ParquetFileEntry>> m) {
        List<TableFiles> out = new ArrayList<>();
        m.forEach((k, v) -> {
            if (!v.isEmpty()) {
                out.add(new TableFiles(k.dbId(), k.tableId(), v));
            }
        });
        return out;
    }

    public static Map<TableKey, List<ParquetFileEntry>> toMap(List<TableFiles> l) {
        Map<TableKey, List<ParquetFileEntry>> m = new LinkedHashMap<>();
        for (TableFiles t : l) {
            m.computeIfAbsent(t.table(), k -> new ArrayList<>()).addAll(t.files());
        }
        return m;
    }
}
