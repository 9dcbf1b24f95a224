package io.kompactor.commit;

/**
 * A metadata file no longer holds what the transaction planned against (the server or another tool wrote it in the
 * meantime): the transaction was undone cleanly; planning again from the current metadata is the answer.
 */
public class StaleException extends CommitException {
    public StaleException(String message) {
        super(message);
    }
}
