package io.kompactor.simulator;

/**
 * What one retention pass did: the files it deleted (by the paths the table index listed) and how many table
 * indices it wrote back from the cache.
 */
public record RetentionResult(FileListing deleted, int indicesWritten) {
}
