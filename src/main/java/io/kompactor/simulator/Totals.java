package io.kompactor.simulator;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Collection;

/**
 * The size, row and time totals every document carries next to its files. What an empty list gives differs by
 * document: snapshots and checkpoints keep {@code i64::MAX / i64::MIN} and the table index uses
 * {@code IndexMetadata::empty()} = {@code {0, 0, i64::MAX, 0}} (docs/format.md, "Totals").
 */
record Totals(long sizeBytes, long rowCount, long minTime, long maxTime) {
    static final Totals EMPTY_SNAPSHOT = new Totals(0, 0, Long.MAX_VALUE, Long.MIN_VALUE);
    static final Totals EMPTY_INDEX = new Totals(0, 0, Long.MAX_VALUE, 0);

    static Totals of(Collection<ParquetFile> files, Totals empty) {
        if (files.isEmpty()) {
            return empty;
        }
        long size = 0;
        long rows = 0;
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (ParquetFile f : files) {
            size += f.sizeBytes();
            rows += f.rowCount();
            min = Math.min(min, f.minTime());
            max = Math.max(max, f.maxTime());
        }
        return new Totals(size, rows, min, max);
    }

    void putInto(ObjectNode o) {
        o.put("parquet_size_bytes", sizeBytes);
        o.put("row_count", rowCount);
        o.put("min_time", minTime);
        o.put("max_time", maxTime);
    }
}
