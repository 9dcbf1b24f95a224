package io.kompactor.parquet;

/**
 * A parquet file that cannot be read as one: missing, empty, truncated, a corrupt footer. The message starts with
 * the file's path so that whoever reports it (a refused merge, a dead letter, {@code verify}) names the file.
 */
public class ParquetFileException extends RuntimeException {
    public ParquetFileException(String message) {
        super(message);
    }

    public ParquetFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
