package io.kompactor.cli;

/** A usage or setup problem: the command did nothing and exits with {@link ExitCodes#USAGE}. */
public class UsageException extends RuntimeException {
    public UsageException(String message) {
        super(message);
    }
}
