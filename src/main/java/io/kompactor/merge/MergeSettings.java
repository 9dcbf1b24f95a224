package io.kompactor.merge;

import java.nio.file.Path;

/**
 * DuckDB resources for merging. {@code memoryLimit} and {@code maxTempDirectorySize} use DuckDB's syntax
 * ("1GB"); {@code tmpDir} is where outputs are written before the commit and where DuckDB spills.
 */
public record MergeSettings(String memoryLimit, int threads, Path tmpDir, String maxTempDirectorySize) {
}
