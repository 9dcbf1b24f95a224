package io.kompactor.demo;

import io.kompactor.snapshot.ParquetFileEntry;

/** A written parquet file, its table and the snapshot that lists it. */
record WrittenFile(int db, int table, long snapshotSeq, ParquetFileEntry entry) {
}
