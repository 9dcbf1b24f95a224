package io.kompactor.snapshot;

/** A metadata file that cannot be read or does not follow the server's format; the message names the file. */
public class MetadataException extends RuntimeException {
    public MetadataException(String message) {
        super(message);
    }

    public MetadataException(String message, Throwable cause) {
        super(message, cause);
    }
}
