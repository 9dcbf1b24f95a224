package io.kompactor.commit;

/**
 * The data dir or state dir cannot be used as asked (another state dir owns the data dir, the lock is held, a
 * directory is unreadable): nothing was changed. Commands exit 2 on it.
 */
public class SetupException extends RuntimeException {
    public SetupException(String message) {
        super(message);
    }

    public SetupException(String message, Throwable cause) {
        super(message, cause);
    }
}
