package io.kompactor.cli;

import io.kompactor.config.Units;

import java.time.Duration;

/** Option values parsed before anything is written: a bad one is a usage error (exit 2) naming its option. */
final class OptionValues {
    private OptionValues() {
    }

    static Duration duration(String option, String value) {
        try {
            Duration d = Units.duration(value);
            if (d.isNegative()) {
                throw new IllegalArgumentException("must not be negative: '" + value + "'");
            }
            return d;
        } catch (IllegalArgumentException | java.time.format.DateTimeParseException e) {
            throw new UsageException(option + ": " + (e instanceof java.time.format.DateTimeParseException
                    ? "not a duration: '" + value + "' (examples: 0, 90s, 30m, 1h, 2d)" : e.getMessage()));
        }
    }

    static long size(String option, String value) {
        try {
            long n = Units.bytes(value);
            if (n <= 0) {
                throw new IllegalArgumentException("must be positive: '" + value + "'");
            }
            return n;
        } catch (IllegalArgumentException e) {
            throw new UsageException(option + ": " + e.getMessage());
        }
    }
}
