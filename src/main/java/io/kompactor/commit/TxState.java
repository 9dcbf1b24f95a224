package io.kompactor.commit;

/** A transaction's journal state. Recovery rolls PREPARED back and finishes COMMITTED. */
public enum TxState {
    /** Backups written; the data dir may be partly changed. */
    PREPARED,
    /** Every metadata file rewritten; originals not yet retired. */
    COMMITTED,
    /** Originals moved under {@code retired/<tx>/}. */
    RETIRED,
    /** Originals left in place until a reader no longer needs them ({@code gc}) or by {@code --keep-originals}. */
    KEPT,
    /** Undone: metadata restored from backups, compacted outputs removed. */
    ROLLED_BACK;
}
