package io.kompactor.demo;

/**
 * One parquet file to generate: the rows of table {@code table} of database {@code db} for the bucket that snapshot
 * {@code bucketSeq} persisted on time, written by snapshot {@code writeSeq}. A late file ({@code writeSeq >
 * bucketSeq}) has {@code rows} rows of which the first {@code upserts} repeat keys of the on-time file.
 */
record DemoFile(int db, int table, long bucketSeq, long writeSeq, int rows, int upserts, boolean addedLater) {
    boolean late() {
        return writeSeq != bucketSeq;
    }
}
