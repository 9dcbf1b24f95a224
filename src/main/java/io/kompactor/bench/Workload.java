package io.kompactor.bench;

import io.kompactor.simulator.Row;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * What the simulated server is sent in the continuous benchmark (its default scenario, README "Continuous benchmark"), from one seed so that a
 * run is reproducible. One table, {@code series} series (tags {@code region, host, service}, the series key, as in
 * {@link BenchData}) with the five field types. Every 10-minute gen1 bucket gets its on-time points, persisted when
 * the bucket ends. For a share of the buckets a late file follows: a fifth of an on-time file's rows for that
 * bucket, persisted 10 minutes to 12 hours after the bucket's on-time file, so that late files are
 * {@code lateShare} of all files. A tenth of the late files are upserts: they repeat keys of the bucket's on-time
 * points with new values for some fields (the others are not sent, so their last non-null value stays); the others
 * add new keys (times between the on-time points).
 */
final class Workload {
    static final long GEN1_NS = 600_000_000_000L;
    static final int MIN_LATE_STEPS = 1;   // 10 minutes after the bucket's own persist
    /** The default latest arrival: 12 hours after the bucket (the default scenario). */
    static final int DEFAULT_MAX_LATE_STEPS = 72;
    static final double UPSERT_SHARE = 0.1;

    /** A late file: the bucket it lands in, the step (bucket index) at whose end it is persisted, and its kind. */
    record LateFile(long bucket, long dueStep, boolean upsert, int index) {
    }

    private final long startNs;
    private final int series;
    private final int pointsPerSeries;
    private final long intervalNs;
    private final long seed;
    private final Map<Long, List<LateFile>> due = new LinkedHashMap<>();
    private final int lateFiles;
    private final int upsertFiles;
    private final int maxLateSteps;

    /**
     * @param startNs     the first bucket's start (a UTC midnight)
     * @param buckets     buckets written (on-time files)
     * @param rowsPerDay  on-time rows per day, over all series
     * @param lateShare   late files over all files, e.g. 0.15
     * @param maxLateSteps the latest a late file arrives, in 10-minute steps after its bucket's own file
     */
    Workload(long startNs, long buckets, long rowsPerDay, double lateShare, int maxLateSteps, int series, long seed) {
        this.maxLateSteps = Math.max(MIN_LATE_STEPS, maxLateSteps);
        this.startNs = startNs;
        this.series = series;
        this.seed = seed;
        long perBucket = Math.max(series, rowsPerDay / (86_400_000_000_000L / GEN1_NS));
        this.pointsPerSeries = (int) Math.max(1, perBucket / series);
        // on-time points at bucket start + k * interval; new-key late points between them
        this.intervalNs = GEN1_NS / pointsPerSeries;
        // late files per bucket so that late / (on-time + late) = lateShare
        double perBucketLate = lateShare >= 1 ? 0 : lateShare / (1 - lateShare);
        Random r = new Random(seed);
        int late = 0;
        int upserts = 0;
        for (long b = 0; b < buckets; b++) {
            int n = (int) Math.floor(perBucketLate) + (r.nextDouble() < perBucketLate - Math.floor(perBucketLate) ? 1 : 0);
            for (int i = 0; i < n; i++) {
                long step = b + MIN_LATE_STEPS + r.nextInt(this.maxLateSteps - MIN_LATE_STEPS + 1);
                boolean upsert = r.nextDouble() < UPSERT_SHARE;
                due.computeIfAbsent(step, k -> new ArrayList<>()).add(new LateFile(b, step, upsert, i));
                late++;
                upserts += upsert ? 1 : 0;
            }
        }
        this.lateFiles = late;
        this.upsertFiles = upserts;
    }

    int maxLateSteps() {
        return maxLateSteps;
    }

    long bucketStart(long bucket) {
        return startNs + bucket * GEN1_NS;
    }

    int rowsPerBucket() {
        return pointsPerSeries * series;
    }

    int lateFiles() {
        return lateFiles;
    }

    int upsertFiles() {
        return upsertFiles;
    }

    /** Late files persisted at the end of bucket {@code step} (written with that bucket's on-time points). */
    List<LateFile> dueAt(long step) {
        return due.getOrDefault(step, List.of());
    }

    /** The on-time points of {@code bucket}, series by series. */
    List<Row> onTime(long bucket) {
        SplittableRandom r = new SplittableRandom(seed ^ (bucket * 0x9E3779B97F4A7C15L));
        long t0 = bucketStart(bucket);
        List<Row> rows = new ArrayList<>(rowsPerBucket());
        for (int s = 0; s < series; s++) {
            for (int k = 0; k < pointsPerSeries; k++) {
                rows.add(new Row(tags(s), fields(r, s, false), t0 + k * intervalNs));
            }
        }
        return rows;
    }

    /** A late file's points: a fifth of an on-time file's rows, spread over the bucket's series. */
    List<Row> late(LateFile f) {
        SplittableRandom r = new SplittableRandom(seed ^ (f.bucket() * 0x9E3779B97F4A7C15L) ^ (f.dueStep() << 20) ^ f.index());
        long t0 = bucketStart(f.bucket());
        int n = Math.max(1, rowsPerBucket() / 5);
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < rowsPerBucket(); i++) {
            order.add(i);
        }
        Collections.shuffle(order, new Random(r.nextLong()));
        List<Row> rows = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int s = order.get(i) / pointsPerSeries;
            int k = order.get(i) % pointsPerSeries;
            // new keys sit between on-time points, 1 ns apart per late file of the same bucket
            long t = f.upsert() ? t0 + k * intervalNs : t0 + k * intervalNs + intervalNs / 2 + f.dueStep() % 1000 * 7 + f.index();
            rows.add(new Row(tags(s), fields(r, s, f.upsert()), t));
        }
        return rows;
    }

    private static Map<String, String> tags(int s) {
        Map<String, String> t = new LinkedHashMap<>();
        t.put("region", "region-" + (s % 4));
        t.put("host", String.format("host-%04d", s));
        t.put("service", "svc-" + (s % 7));
        return t;
    }

    /** Values of all five field types; an upsert sends only some of them (the rest keep their last non-null value). */
    private static Map<String, Object> fields(SplittableRandom r, int s, boolean upsert) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("usage", Math.round(r.nextDouble() * 10_000) / 100.0);
        if (!upsert || r.nextBoolean()) {
            f.put("count", (long) r.nextInt(100_000));
        }
        if (!upsert) {
            f.put("bytes", BigInteger.valueOf(r.nextLong() >>> 1).shiftLeft(1));
            f.put("status", r.nextInt(20) == 0 ? "degraded" : "ok");
            f.put("ok", r.nextInt(50) != 0);
        } else {
            f.put("status", "corrected");
        }
        return f;
    }
}
