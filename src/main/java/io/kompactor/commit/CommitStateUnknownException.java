package io.kompactor.commit;

/**
 * A transaction failed and so did its undo (a full disk, say): the data dir may be partly changed, the journal keeps
 * the transaction PREPARED with the reason, and its host takes no further commits until {@code kompactor recover}
 * succeeds. Nothing it staged may be deleted by the caller (Iceberg's "commit state unknown": keep, don't clean).
 */
public class CommitStateUnknownException extends CommitException {
    public CommitStateUnknownException(String message, Throwable cause) {
        super(message, cause);
    }
}
