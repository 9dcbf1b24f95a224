package io.kompactor.merge;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;

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

    public MergeSettings withMemoryLimit(String limit) {
        return new MergeSettings(limit, threads, tmpDir, maxTempDirectorySize);
    }

    public MergeSettings withThreads(int n) {
        return new MergeSettings(memoryLimit, n, tmpDir, maxTempDirectorySize);
    }
}
