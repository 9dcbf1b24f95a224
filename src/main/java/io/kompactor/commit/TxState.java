package io.kompactor.commit;

/** A transaction's journal state. Recovery undoes PREPARED changes to metadata and finishes the rest. */
public enum TxState {
    /** Intent and backups written; the data dir may be partly changed. Recovery undoes it (or, for RETIRE and PURGE, finishes it). */
    PREPARED,
    /** Every change made and read back; follow-up work (retiring originals) not yet done. */
    COMMITTED,
    /** A compaction whose originals stay in place until no reader can need them (retired by the retirement rules). */
    KEPT,
    /** A compaction whose originals were moved under {@code retired/<tx>/}. */
    RETIRED,
    /** Not in effect: undone before it committed, or rolled back after (then its outputs are retired like originals). */
    ROLLED_BACK,
    /** A rollback, reconciliation, retirement or purge that finished. */
    DONE;

    /** True while recovery still has something to do. */
    public boolean open() {
        return this == PREPARED || this == COMMITTED;
    }
}
