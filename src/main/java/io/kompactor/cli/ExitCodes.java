package io.kompactor.cli;

/** The CLI's exit codes, the same for every command. */
public final class ExitCodes {
    /** Everything done (or, for verify, nothing wrong). */
    public static final int OK = 0;
    /** Some plans failed or problems were found; the rest was still done. */
    public static final int PARTIAL = 1;
    /** Usage or setup error: nothing was done. */
    public static final int USAGE = 2;

    private ExitCodes() {
    }
}
