package io.kompactor.merge;

import io.kompactor.parquet.DuckDb;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * DuckDB resources for merging. {@code memoryLimit} and {@code maxTempDirectorySize} use DuckDB's syntax
 * ("1GB"); {@code tmpDir} is where outputs are written before the commit and where DuckDB spills.
 */
public record MergeSettings(String memoryLimit, int threads, Path tmpDir, String maxTempDirectorySize) {

    /**
     * An eighth of the machine's memory, between 256 MB and 1 GB: DuckDB spills past it, and the whole process
     * (JVM included) then stays near 1.5 GiB even on big windows.
     */
    public static String defaultMemoryLimit() {
        long total = Runtime.getRuntime().maxMemory() * 4;
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            total = os.getTotalMemorySize();
        }
        long mb = Math.max(256, Math.min(1024, total / 8 / (1 << 20)));
        return mb + "MB";
    }

    public static MergeSettings defaults(Path tmpDir) {
        return new MergeSettings(defaultMemoryLimit(), Runtime.getRuntime().availableProcessors(), tmpDir, "100GB");
    }

    /**
     * {@code memoryLimit} in bytes, read as DuckDB reads it (a number and a unit: KB/MB/GB/TB are powers of 1000,
     * KiB/MiB/GiB/TiB of 1024; no unit: bytes); 1 GB if it cannot be read, DuckDB's own check being the one that
     * rejects a bad setting.
     */
    public long memoryLimitBytes() {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\s*([0-9.]+)\\s*([a-zA-Z]*)\\s*")
                .matcher(memoryLimit);
        if (!m.matches()) {
            return 1_000_000_000L;
        }
        double n = Double.parseDouble(m.group(1));
        long unit = switch (m.group(2).toLowerCase(java.util.Locale.ROOT)) {
            case "", "b", "byte", "bytes" -> 1L;
            case "kb", "k" -> 1_000L;
            case "mb", "m" -> 1_000_000L;
            case "gb", "g" -> 1_000_000_000L;
            case "tb", "t" -> 1_000_000_000_000L;
            case "kib" -> 1L << 10;
            case "mib" -> 1L << 20;
            case "gib" -> 1L << 30;
            case "tib" -> 1L << 40;
            default -> -1L;
        };
        return unit < 0 ? 1_000_000_000L : (long) (n * unit);
    }

    private static final java.util.regex.Pattern DUCKDB_SIZE =
            java.util.regex.Pattern.compile("(?i)\\d+(\\.\\d+)?\\s*(b|kb|mb|gb|tb|kib|mib|gib|tib|%)?");

    /** A DuckDB memory limit such as "1GB" or "512MiB"; anything else is refused before DuckDB ever sees it. */
    public MergeSettings withMemoryLimit(String limit) {
        if (limit == null || !DUCKDB_SIZE.matcher(limit.trim()).matches()) {
            throw new IllegalArgumentException("memory limit: not a size: '" + limit + "' (examples: 512MB, 1GB, 2GiB)");
        }
        return new MergeSettings(limit.trim(), threads, tmpDir, maxTempDirectorySize);
    }

    /** Where merge output and DuckDB spill go: the scratch dir of the process that merges. */
    public MergeSettings withTmpDir(Path dir) {
        return new MergeSettings(memoryLimit, threads, dir, maxTempDirectorySize);
    }

    public MergeSettings withThreads(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("threads: must be at least 1, got " + n);
        }
        return new MergeSettings(memoryLimit, n, tmpDir, maxTempDirectorySize);
    }

    /** A DuckDB instance with these resources, spilling under {@link #tmpDir}. */
    public Connection openDuckDb() throws SQLException {
        return DuckDb.open(memoryLimit, threads, tmpDir, maxTempDirectorySize);
    }
}
