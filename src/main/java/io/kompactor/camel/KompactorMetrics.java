package io.kompactor.camel;

import io.kompactor.commit.CommitResult;
import io.kompactor.merge.MergeResult;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Kompactor's own meters, in the registry Camel serves at {@code /observe/metrics}: plans, files, bytes and rows in
 * and out, failures, dead letters, and per host the time of the last successful commit (epoch seconds). Every series
 * of a host exists from the daemon's start, at zero ({@link #register}): an alert rule cannot see a series before its
 * first sample, so {@code increase(kompactor_dead_letters_total[1h]) > 0} would miss the first dead letter.
 * {@code config/prometheus-alerts.yml} and {@code config/grafana-dashboard.json} use these names.
 */
public final class KompactorMetrics {
    private final MeterRegistry registry;
    private final Clock clock;
    private final Map<String, AtomicLong> lastCommit = new ConcurrentHashMap<>();

    public KompactorMetrics(MeterRegistry registry, Clock clock) {
        this.registry = registry;
        this.clock = clock;
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** Kompactor's counters, each with its name (Prometheus: {@code kompactor_..._total}) and description. */
    private enum Series {
        PLANNED("kompactor.plans.planned", "Plans made"),
        COMMITTED("kompactor.plans.committed", "Plans merged and committed"),
        FILES_IN("kompactor.files.in", "Parquet files compacted away"),
        FILES_OUT("kompactor.files.out", "Compacted parquet files written"),
        BYTES_IN("kompactor.bytes.in", "Bytes of the compacted inputs"),
        BYTES_OUT("kompactor.bytes.out", "Bytes of the compacted outputs"),
        ROWS_IN("kompactor.rows.in", "Rows read from the inputs"),
        ROWS_OUT("kompactor.rows.out", "Rows written (after de-duplication)"),
        FAILURES("kompactor.failures", "Failed attempts (retried or dead-lettered)"),
        DEAD_LETTERS("kompactor.dead.letters", "Plans written to the dead-letter store"),
        RETIRED("kompactor.originals.retired", "Original files moved under retired/");

        final String meter;
        final String description;

        Series(String meter, String description) {
            this.meter = meter;
            this.description = description;
        }
    }

    /** Every counter of a host at zero, and its last-commit gauge (0: none yet). Idempotent. */
    public void register(String host) {
        for (Series s : Series.values()) {
            counter(s, host);
        }
        lastCommit(host);
    }

    public void planned(String host, int plans) {
        register(host);
        counter(Series.PLANNED, host).increment(plans);
    }

    public void committed(MergeResult merge, CommitResult commit) {
        String host = commit.plan().host();
        counter(Series.COMMITTED, host).increment();
        counter(Series.FILES_IN, host).increment(commit.plan().inputs().size());
        counter(Series.FILES_OUT, host).increment(commit.outputs().size());
        counter(Series.BYTES_IN, host).increment(commit.plan().inputBytes());
        counter(Series.BYTES_OUT, host).increment(commit.outputBytes());
        counter(Series.ROWS_IN, host).increment(merge.inputRows());
        counter(Series.ROWS_OUT, host).increment(commit.outputRows());
        lastCommit(host).set(clock.instant().getEpochSecond());
    }

    private AtomicLong lastCommit(String host) {
        return lastCommit.computeIfAbsent(host == null ? "" : host, h -> {
            AtomicLong v = new AtomicLong();
            Gauge.builder("kompactor.last.commit.time", v, AtomicLong::get)
                    .description("Epoch seconds of the last successful commit (0: none since the start)")
                    .baseUnit("seconds").tag("host", h).register(registry);
            return v;
        });
    }

    public void failure(String host) {
        counter(Series.FAILURES, host).increment();
    }

    public void deadLettered(String host) {
        counter(Series.DEAD_LETTERS, host).increment();
    }

    public void retired(String host, int files) {
        counter(Series.RETIRED, host).increment(files);
    }

    /** Value of a counter, 0 when it was never incremented: for tests and logs. */
    public double count(String name, String host) {
        Counter c = registry.find(name).tag("host", host).counter();
        return c == null ? 0 : c.count();
    }

    public long lastCommitEpochSeconds(String host) {
        AtomicLong v = lastCommit.get(host);
        return v == null ? 0 : v.get();
    }

    private Counter counter(Series s, String host) {
        return Counter.builder(s.meter).description(s.description).tag("host", host == null ? "" : host)
                .register(registry);
    }
}
