package io.kompactor.snapshot;

/** Snapshot JSON formats by server version (docs/format.md, "Fields and eras"). */
public enum SnapshotEra {
    /** November 2024: {@code host_id}, no {@code version}. */
    PRE_ALPHA,
    /** January 2025 public alpha: {@code writer_id}, no {@code version}. */
    ALPHA,
    /** 2025-01-23 to 2025-03-12 main builds: {@code node_id} without {@code version}. */
    UNVERSIONED_NODE_ID,
    /** 3.0 and 3.1: {@code "version": "1"}, no {@code removed_files}. */
    V1,
    /** 3.2 and later: {@code "version": "1"} with {@code removed_files}. */
    V1_REMOVED_FILES;

    /**
     * How many snapshot files a restarting server of this era loads by default
     * (docs/format.md, "How many snapshots").
     */
    public int defaultLoadedSnapshots() {
        return this == V1_REMOVED_FILES ? 4383 : 1000;
    }
}
