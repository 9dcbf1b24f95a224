package io.kompactor.merge;

/** A merge that was refused or failed verification; the message names the files and the problem. */
public class MergeException extends RuntimeException {
    public MergeException(String message) {
        super(message);
    }

    public MergeException(String message, Throwable cause) {
        super(message, cause);
    }
}
