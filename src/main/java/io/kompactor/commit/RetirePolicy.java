package io.kompactor.commit;

/** What happens to originals after a commit. */
public enum RetirePolicy {
    /** The server is stopped (one-shot): move originals under the state dir at once. */
    IMMEDIATE,
    /** A server may still read them (continuous mode, {@code --keep-originals}): leave them in place. */
    KEEP
}
