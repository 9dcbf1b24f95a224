package io.kompactor.parquet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * Opens in-memory DuckDB instances configured for the compactor. Settings go in as JDBC properties because a
 * URL query string would silently create a database file, and the spill directory is always explicit because DuckDB
 * otherwise spills into {@code ./.tmp} of whatever the working directory is
 * (docs/architecture.md, "DuckDB facts the merge relies on").
 */
public final class DuckDb {

    /** Name of the spill directory under the {@code tmpDir} given to {@link #open}. */
    public static final String SPILL_DIR = "duckdb-spill";

    private static final String URL = "jdbc:duckdb:";

    private DuckDb() {
    }

    /**
     * An instance for merging. Share it across threads with {@code DuckDBConnection#duplicate()}. The sizes use
     * DuckDB's syntax ("1GB"); the caller (merge.MergeSettings) has checked them.
     */
    public static Connection open(String memoryLimit, int threads, Path tmpDir, String maxTempDirectorySize)
            throws SQLException {
        Path spill = tmpDir.resolve(SPILL_DIR);
        try {
            Files.createDirectories(spill);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create DuckDB spill directory " + spill, e);
        }
        Properties p = baseProperties();
        p.setProperty("threads", Integer.toString(Math.max(1, threads)));
        p.setProperty("memory_limit", memoryLimit);
        p.setProperty("temp_directory", spill.toAbsolutePath().toString());
        p.setProperty("max_temp_directory_size", maxTempDirectorySize);
        // Only ORDER BY output order matters to us; this cuts memory of unordered scans
        // (docs/architecture.md, "DuckDB facts the merge relies on").
        p.setProperty("preserve_insertion_order", "false");
        return DriverManager.getConnection(URL, p);
    }

    /**
     * A small single-threaded instance for footer reads and test/demo writing. It cannot spill (empty
     * temp_directory), which is what we want for metadata queries: they never need to.
     */
    public static Connection openLight() throws SQLException {
        Properties p = baseProperties();
        p.setProperty("threads", "1");
        p.setProperty("memory_limit", "256MB");
        p.setProperty("temp_directory", "");
        return DriverManager.getConnection(URL, p);
    }

    private static Properties baseProperties() {
        Properties p = new Properties();
        // Offline machines: fail at once instead of a 2 s download attempt
        // (docs/architecture.md, "DuckDB facts the merge relies on").
        p.setProperty("autoinstall_known_extensions", "false");
        p.setProperty("autoload_known_extensions", "false");
        return p;
    }
}
