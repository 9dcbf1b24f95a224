package io.kompactor.plan;

import io.kompactor.snapshot.ParquetFileEntry;

import java.nio.file.Path;
import java.util.List;

/**
 * Whether late files repeat (tags, time) keys of a window's compacted files. The server de-duplicates only within a
 * partition, so such keys show twice, or with the older value, until the window is merged again (docs/format.md,
 * "Query path"): those windows are merged at once, whatever the late-data policy says. The check reads data, so it
 * lives with the merge; the planner only asks.
 */
@FunctionalInterface
public interface LateKeyCheck {
    /** Reads nothing and answers yes: every late file is merged at once. */
    LateKeyCheck ASSUME_REPEATED = (dataDir, compacted, late) -> true;

    boolean repeats(Path dataDir, List<ParquetFileEntry> compacted, List<ParquetFileEntry> late);
}
