package io.kompactor.commit;

/** A commit that could not be made; the data dir was left as it was (or restored from the backups). */
public class CommitException extends RuntimeException {
    public CommitException(String message) {
        super(message);
    }

    public CommitException(String message, Throwable cause) {
        super(message, cause);
    }
}
