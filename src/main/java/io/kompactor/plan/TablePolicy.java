package io.kompactor.plan;

import java.time.Duration;

/**
 * How one table is compacted: whether at all, its window, minimum files, settle time, target file size and late-data
 * thresholds. {@code name} is the policy that set it ("default" when none matched), shown by {@code --dry-run}.
 */
public record TablePolicy(String name, boolean included, int windowHours, int minInputs, Duration settle,
                          long targetFileBytes, LatePolicy late) {

    public TablePolicy {
        if (windowHours <= 0 || (24 % windowHours != 0 && windowHours % 24 != 0)) {
            throw new IllegalArgumentException(name + ": window must divide 24 or be a multiple of 24 hours, got " + windowHours);
        }
        if (minInputs < 1) {
            throw new IllegalArgumentException(name + ": min-files must be at least 1, got " + minInputs);
        }
        if (settle.isNegative()) {
            throw new IllegalArgumentException(name + ": settle must not be negative");
        }
        if (targetFileBytes <= 0) {
            throw new IllegalArgumentException(name + ": target size must be positive");
        }
    }

    public long windowNanos() {
        return windowHours * 3_600_000_000_000L;
    }

    public TablePolicy excluded(String why) {
        return new TablePolicy(why, false, windowHours, minInputs, settle, targetFileBytes, late);
    }

    /**
     * When a compacted window is merged again with its late files (docs/operations.md, "Late data"): once they hold
     * {@code maxShare} of its rows, or number {@code maxFiles}, or the oldest waited {@code maxWait}. Late files that
     * repeat keys of the compacted file are merged at once whatever these say.
     */
    public record LatePolicy(double maxShare, int maxFiles, Duration maxWait) {
        public static final LatePolicy EAGER = new LatePolicy(0, 1, Duration.ZERO);

        public LatePolicy {
            if (maxShare < 0 || maxFiles < 1 || maxWait.isNegative()) {
                throw new IllegalArgumentException("late-data policy: max-share >= 0, max-files >= 1 and max-wait >= 0 "
                        + "are required, got " + maxShare + ", " + maxFiles + ", " + maxWait);
            }
        }
    }
}
