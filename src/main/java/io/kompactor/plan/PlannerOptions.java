package io.kompactor.plan;

import java.time.Duration;

/**
 * How windows are chosen. {@code windowHours} divides 24 or is a multiple of it; {@code settle} is how long after
 * a window's end it is left alone for late data; {@code loadedSnapshots} is the server's N (0: the era's default).
 */
public record PlannerOptions(int windowHours, int minInputs, Duration settle, long targetFileBytes,
                             int loadedSnapshots) {

    public static final long DEFAULT_TARGET_FILE_BYTES = 1L << 30;

    public PlannerOptions {
        if (windowHours <= 0 || (24 % windowHours != 0 && windowHours % 24 != 0)) {
            throw new IllegalArgumentException("--window must divide 24 or be a multiple of 24 hours, got " + windowHours);
        }
        if (minInputs < 1) {
            throw new IllegalArgumentException("--min-files must be at least 1, got " + minInputs);
        }
        if (settle.isNegative()) {
            throw new IllegalArgumentException("--settle must not be negative");
        }
        if (targetFileBytes <= 0) {
            throw new IllegalArgumentException("--target-size must be positive");
        }
        if (loadedSnapshots < 0) {
            throw new IllegalArgumentException("--loaded-snapshots must not be negative");
        }
    }

    public static PlannerOptions defaults() {
        return new PlannerOptions(24, 2, Duration.ofHours(1), DEFAULT_TARGET_FILE_BYTES, 0);
    }

    public long windowNanos() {
        return windowHours * 3_600_000_000_000L;
    }
}
