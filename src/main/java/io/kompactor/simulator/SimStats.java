package io.kompactor.simulator;

import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What the simulator has done since it was created (over all its restarts), for the benchmark: snapshots and
 * parquet files written, their bytes, rows received and rows persisted (after de-duplication within a file),
 * files deleted by retention, and files written per (table, gen1 bucket).
 */
public record SimStats(long snapshots, long files, long parquetBytes, long rowsReceived, long rowsPersisted,
                       long filesDeletedByRetention, SortedMap<TableWindow, Long> filesPerWindow) {
    public SimStats {
        filesPerWindow = Collections.unmodifiableSortedMap(new TreeMap<>(filesPerWindow));
    }

    /** Mutable, synchronised counters behind {@link SimStats}. */
    static final class Counter {
        private long snapshots;
        private long files;
        private long bytes;
        private long rowsReceived;
        private long rowsPersisted;
        private long deleted;
        private final Map<TableWindow, Long> perWindow = new TreeMap<>();

        synchronized void received(int rows) {
            rowsReceived += rows;
        }

        synchronized void persisted(TableRef table, ParquetFile f) {
            files++;
            bytes += f.sizeBytes();
            rowsPersisted += f.rowCount();
            perWindow.merge(new TableWindow(table, f.chunkTime()), 1L, Long::sum);
        }

        synchronized void snapshot() {
            snapshots++;
        }

        synchronized void deleted(int n) {
            deleted += n;
        }

        synchronized SimStats get() {
            return new SimStats(snapshots, files, bytes, rowsReceived, rowsPersisted, deleted, new TreeMap<>(perWindow));
        }
    }
}
