package io.kompactor.demo;

/** What {@link DemoDataDir#write} produced: snapshot files, parquet files, rows listed (before de-duplication), bytes. */
public record DemoSummary(int snapshots, int files, long rows, long bytes) {
}
