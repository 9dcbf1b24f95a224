package io.kompactor.commit;

/** Points between the commit's steps, in order; a {@link CommitHook} sees each one (tests crash the commit there). */
public enum CommitStep {
    PREPARED,
    OUTPUTS_MOVED,
    FIRST_DOCUMENT_REWRITTEN,
    SNAPSHOTS_REWRITTEN,
    CHECKPOINTS_REWRITTEN,
    TABLE_INDEX_REWRITTEN,
    COMMITTED,
    ORIGINALS_RETIRED
}
