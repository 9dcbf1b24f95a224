package io.kompactor.simulator;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * A clock the caller moves: tests and the benchmark run days of data time in seconds, and never sleep to make
 * time pass. Safe to read from the simulator's HTTP thread while the caller advances it.
 */
public final class SimClock implements Supplier<Instant> {
    private final AtomicReference<Instant> now;

    public SimClock(Instant start) {
        this.now = new AtomicReference<>(Objects.requireNonNull(start, "start"));
    }

    @Override
    public Instant get() {
        return now.get();
    }

    public Instant advance(Duration d) {
        return now.updateAndGet(t -> t.plus(d));
    }

    public void set(Instant t) {
        now.set(Objects.requireNonNull(t, "t"));
    }

    /**
     * This clock as a {@link java.time.Clock} (UTC), for code that takes one, such as the daemon's {@code clock} bean:
     * it reads whatever this clock is set to at the moment.
     */
    public java.time.Clock asClock() {
        return new java.time.Clock() {
            @Override
            public Instant instant() {
                return now.get();
            }

            @Override
            public java.time.ZoneId getZone() {
                return java.time.ZoneOffset.UTC;
            }

            @Override
            public java.time.Clock withZone(java.time.ZoneId zone) {
                return this;
            }
        };
    }
}
