package io.kompactor.commit;

import io.kompactor.snapshot.ParquetFileEntry;
import io.kompactor.snapshot.TableKey;

import java.util.List;

/**
 * One (table, window) of a compaction: the inputs it replaces and the outputs that replace them. A transaction holds
 * one or more groups of one host.
 */
public record Group(long dbId, long tableId, long windowStart, long windowEnd, List<ParquetFileEntry> inputs,
                    List<ParquetFileEntry> outputs) {
    public Group {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
    }

    public TableKey table() {
        return new TableKey(dbId, tableId);
    }

    public String label() {
        return table() + " " + java.time.Instant.ofEpochSecond(0, windowStart);
    }
}
