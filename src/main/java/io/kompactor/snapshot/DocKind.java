package io.kompactor.snapshot;

/**
 * The server's metadata files that list parquet files, each with its own shape and totals rule (docs/format.md,
 * "Snapshot JSON", "Checkpoints", "Table index").
 */
public enum DocKind {
    /** {@code snapshots/*.info.json}: {@code databases}, totals over its own files. */
    SNAPSHOT,
    /** {@code snapshot-checkpoints/YYYY-MM/*.checkpoint.json}: cumulative {@code databases} of a month. */
    CHECKPOINT,
    /** {@code db-indices/<db>/<table>/index.info.json}: flat {@code files} sorted by id. */
    TABLE_INDEX,
    /** {@code table-snapshots/<db>/<table>/<seq>.info.json}: flat {@code files}, transient. */
    TABLE_SNAPSHOT
}
