package io.kompactor.plan;

import io.kompactor.snapshot.TableKey;

import java.nio.file.Path;
import java.util.List;

/**
 * One (host, db, table, window) to merge. Inputs are in write order, oldest first; {@code outputDir} is the
 * object-store directory (relative to the data dir) where the compacted file goes; {@code targetFileBytes} is the
 * size past which the window is split into several files.
 */
public record CompactionPlan(Path dataDir, String host, TableKey table, String tableName,
                             long windowStart, long windowEnd, List<PlanInput> inputs,
                             String outputDir, long targetFileBytes) {

    public CompactionPlan {
        inputs = List.copyOf(inputs);
    }

    public long inputBytes() {
        return inputs.stream().mapToLong(i -> i.entry().sizeBytes()).sum();
    }

    public long inputRows() {
        return inputs.stream().mapToLong(i -> i.entry().rowCount()).sum();
    }

    public Path resolve(PlanInput input) {
        return dataDir.resolve(input.entry().path());
    }

    /** Newest write order among the inputs: what the compacted file records in its name. */
    public long newestWriteOrder() {
        return inputs.stream().mapToLong(PlanInput::writeOrder).max().orElseThrow();
    }

    /** A short stable label for logs and dead letters, e.g. {@code node0 0/1 (db0/cpu) 2025-01-26T00:00Z}. */
    public String label() {
        return host + " " + table + (tableName == null ? "" : " (" + tableName + ")") + " "
                + java.time.Instant.ofEpochSecond(0, windowStart).toString();
    }
}
