package io.kompactor.commit;

/**
 * A transaction that could not be made and was undone: the data dir is as it was before it (its merged files may be
 * cleaned up). Compare {@link CommitStateUnknownException}.
 */
public class CommitException extends RuntimeException {
    public CommitException(String message) {
        super(message);
    }

    public CommitException(String message, Throwable cause) {
        super(message, cause);
    }
}
