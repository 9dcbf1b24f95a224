package io.kompactor.plan;

import io.kompactor.snapshot.ParquetFileEntry;

/**
 * One input of a plan. {@code writeOrder} is the position of the file's data in write order: the file id for the
 * server's files, the newest input id it holds for a compacted file (its reserved id says nothing about order).
 */
public record PlanInput(ParquetFileEntry entry, long writeOrder, boolean compacted) {
}
