package io.kompactor.commit;

/** What a transaction does. Every command that writes does it through one of these (docs/commit-protocol.md). */
public enum TxKind {
    /** Merged outputs replace their inputs in every metadata file that lists them. */
    COMPACT,
    /** A committed compaction undone: its inputs back wherever its outputs are listed. */
    ROLLBACK,
    /** Metadata the server wrote after a commit (from its memory) edited as the commit would have. */
    RECONCILE,
    /** Files nobody can read any more moved out of the data dir, under the state dir. */
    RETIRE,
    /** Retired files and backups past their retention deleted from the state dir. */
    PURGE
}
