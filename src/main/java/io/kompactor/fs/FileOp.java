package io.kompactor.fs;

/** The kinds of change {@link FileOps} makes; a {@link FaultHook} sees each one before it happens. */
public enum FileOp {
    /** A whole file written through a temp file and a rename. */
    WRITE,
    /** A rename (or a copy and delete across file systems). */
    MOVE,
    /** A durable copy. */
    COPY,
    /** A file or empty directory removed. */
    DELETE,
    /** A directory created. */
    MKDIR
}
