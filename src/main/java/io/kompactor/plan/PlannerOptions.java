package io.kompactor.plan;

import java.time.Duration;

/**
 * How the planner chooses: {@code loadedSnapshots} is the server's N (0: the era's default), {@code policies} say which
 * tables are compacted and with which window, minimum files, settle time, target size and late-data thresholds.
 */
public record PlannerOptions(int loadedSnapshots, TablePolicies policies) {

    public static final long DEFAULT_TARGET_FILE_BYTES = 1L << 30;

    public PlannerOptions {
        if (loadedSnapshots < 0) {
            throw new IllegalArgumentException("--loaded-snapshots must not be negative");
        }
    }

    /**
     * The same settings for every table, and late files merged as soon as they arrive: for tests and the benchmark;
     * the commands build their options from the settings (config.Configuration).
     */
    public PlannerOptions(int windowHours, int minInputs, Duration settle, long targetFileBytes, int loadedSnapshots) {
        this(loadedSnapshots, TablePolicies.uniform(new TablePolicy("default", true, windowHours, minInputs, settle,
                targetFileBytes, TablePolicy.LatePolicy.EAGER)));
    }

    public static PlannerOptions defaults() {
        return new PlannerOptions(24, 2, Duration.ofHours(1), DEFAULT_TARGET_FILE_BYTES, 0);
    }
}
