package io.kompactor.plan;

import io.kompactor.snapshot.TableKey;

import java.nio.file.Path;
import java.util.List;

/**
 * One (host, db, table, window) to merge. Inputs are in write order, oldest first; {@code outputDir} is the
 * object-store directory (relative to the data dir) where the compacted file goes; {@code targetFileBytes} is the
 * size past which the window is split into several files. A {@link Kind#FULL} plan makes the window's compacted file
 * (its partition, {@code chunk_time}, is the window start); a {@link Kind#LATE} plan gathers late files in the
 * window's late-data file (its partition is its earliest input's) and leaves the compacted file as it is.
 * {@code policy} is the table policy that chose it.
 */
public record CompactionPlan(Path dataDir, String host, TableKey table, String tableName,
                             long windowStart, long windowEnd, List<PlanInput> inputs,
                             String outputDir, long targetFileBytes, Kind kind, String policy, String reason) {

    public enum Kind { FULL, LATE }

    public CompactionPlan {
        inputs = List.copyOf(inputs);
    }

    /** A full plan of the default policy: what the planner makes of a window that was never compacted. */
    public CompactionPlan(Path dataDir, String host, TableKey table, String tableName, long windowStart, long windowEnd,
                          List<PlanInput> inputs, String outputDir, long targetFileBytes) {
        this(dataDir, host, table, tableName, windowStart, windowEnd, inputs, outputDir, targetFileBytes, Kind.FULL,
                "default", "new window");
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

    /** The partition ({@code chunk_time}) of the output: the window start, or a late file's earliest bucket. */
    public long outputChunkTime() {
        return kind == Kind.FULL ? windowStart
                : inputs.stream().mapToLong(i -> i.entry().chunkTime()).min().orElse(windowStart);
    }

    /** The output's file name for a file id. */
    public String outputName(long fileId) {
        return kind == Kind.FULL ? CompactedName.format(newestWriteOrder(), fileId)
                : CompactedName.formatLate(newestWriteOrder(), fileId);
    }

    /** A short stable label for logs and dead letters, e.g. {@code node0 0/1 (db0/cpu) 2025-01-26T00:00Z}. */
    public String label() {
        return host + " " + table + (tableName == null ? "" : " (" + tableName + ")") + " "
                + java.time.Instant.ofEpochSecond(0, windowStart).toString() + (kind == Kind.LATE ? " late data" : "");
    }
}
