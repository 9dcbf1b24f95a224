package io.kompactor.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kompactor.commit.JournalEntry;
import io.kompactor.commit.StateDir;
import io.kompactor.commit.TxKind;
import io.kompactor.commit.TxState;
import io.kompactor.commit.Workspace;
import io.kompactor.config.Configuration;
import io.kompactor.config.Units;
import io.kompactor.parquet.DuckDb;
import io.kompactor.plan.CompactedName;
import io.kompactor.simulator.InfluxDb3Simulator;
import io.kompactor.simulator.LoadOptions;
import io.kompactor.simulator.ParquetFile;
import io.kompactor.simulator.RestartLoader;
import io.kompactor.simulator.Row;
import io.kompactor.simulator.SimClock;
import io.kompactor.simulator.SimulatorOptions;
import io.kompactor.simulator.SnapshotDoc;
import io.kompactor.snapshot.ParquetFileEntry;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code kompactor bench --continuous} (README, "Continuous benchmark"): the daemon's real job, {@code run} beside a server that
 * keeps writing, over days of simulated time.
 * <p>
 * The server is the simulator ({@link InfluxDb3Simulator}, with a ledger of every file it persisted) fed by a seeded
 * {@link Workload}; the daemon is the real {@code kompactor run} pipeline in a JVM of its own ({@link BenchDaemon}),
 * whose clock follows the simulated one. The run goes in 10-minute steps of simulated time: move both clocks,
 * write the bucket's on-time points and the late files due, persist a snapshot, then wait until the daemon has seen
 * it and finished everything it does about it ({@code sync}), then look at the data dir as a restarted server would
 * ({@link RestartLoader}). So every sample is taken once the daemon had its turn, as in a real deployment 30 s after
 * each 10-minute snapshot. The simulated server restarts once a simulated day (noon), which gives the daemon the
 * restart evidence it needs to retire originals (docs/operations.md, "Retiring originals").
 * <p>
 * After {@code days} of writes the run goes on, the server still writing, until the last measured window has seen
 * all its late data and the late-data policy's longest wait ({@link #drainSteps}); write amplification counts the
 * measured windows (the first {@code days}), whose whole life the run saw.
 */
final class ContinuousBench {
    static final String HOST = "node0";
    static final String DB = "bench";
    static final String TABLE = "cpu";
    /** 2025-03-03T00:00:00Z, a UTC midnight: the first window starts with the run. */
    static final Instant START = Instant.parse("2025-03-03T00:00:00Z");
    static final int SERIES = 100;
    static final long SEED = 20_250_303L;

    /** What to run; {@code settings} are daemon settings on top of the defaults (as {@code run -D}). */
    record Options(double days, long rowsPerDay, double lateShare, Duration maxLate, Path workDir, boolean keep,
                   Map<String, String> settings, long syncTimeoutSeconds) {
        static Options defaults() {
            return new Options(3, 500_000, 0.15, Duration.ofHours(12), null, false, Map.of(), 300);
        }
    }

    /** The bench's real-time settings of the daemon: only its timers are shortened, simulated time does the rest. */
    static final Map<String, String> DAEMON_SETTINGS = Map.of(
            "kompactor.debounce-ms", "100",
            "kompactor.debounce-check-interval-ms", "20",
            "kompactor.poll-delay-ms", "20",
            "kompactor.influxdb.check-interval-ms", "1000");

    public static final double TARGET_WA = 2.5;
    public static final int TARGET_FILES_PER_WINDOW = 2;
    public static final long TARGET_PEAK_RSS = 3L << 29; // 1.5 GiB

    private final Options options;
    private final PrintWriter out;

    ContinuousBench(Options options, PrintWriter out) {
        this.options = options;
        this.out = out;
    }

    ObjectNode run() throws Exception {
        return WorkDir.run(options.workDir(), options.keep(), "kompactor-cbench-", out, this::run);
    }

    /** Steps after the measured days: the last late file of the last measured window, its longest wait, and settle. */
    static long drainSteps(int maxLateSteps, Duration settle, Duration maxWait) {
        long ns = (maxLateSteps + 1L) * Workload.GEN1_NS + maxWait.toNanos() + settle.toNanos();
        return (ns + Workload.GEN1_NS - 1) / Workload.GEN1_NS + 1;
    }

    private ObjectNode run(Path work) throws Exception {
        long wall0 = System.nanoTime();
        Path data = work.resolve("data");
        Path ledgerDir = work.resolve("ledger");
        Files.createDirectories(data);

        Map<String, String> settings = new LinkedHashMap<>(DAEMON_SETTINGS);
        settings.putAll(options.settings());
        Configuration config = Configuration.of(settings);
        var policy = config.plannerOptions().policies().defaults();
        long windowNs = policy.windowNanos();
        long settleNs = policy.settle().toNanos();
        long debounceNs = config.longOf("kompactor.debounce-ms") * 1_000_000L;
        long dataSteps = Math.max(1, Math.round(options.days() * (86_400_000_000_000L / Workload.GEN1_NS)));
        int maxLateSteps = (int) Math.max(Workload.MIN_LATE_STEPS, options.maxLate().toNanos() / Workload.GEN1_NS);
        long steps = dataSteps + drainSteps(maxLateSteps, policy.settle(), policy.late().maxWait());
        long startNs = START.getEpochSecond() * 1_000_000_000L;
        long measuredEnd = startNs + dataSteps * Workload.GEN1_NS;
        Workload w = new Workload(startNs, steps, options.rowsPerDay(), options.lateShare(), maxLateSteps, SERIES, SEED);

        out.printf(Locale.ROOT, "kompactor bench --continuous in %s%n", work);
        out.printf(Locale.ROOT, "%s %s measured + %.1f h drain, %,d rows/day (%,d per 10-minute file), late files "
                        + "%.0f%% of files (%d, %d upserting, 10 min to %d min late), window %d h, settle %s, late policy: max-share %s, "
                        + "max-files %d, max-wait %s%n", BenchPhase.round(options.days()), options.days() == 1 ? "day" : "days", (steps - dataSteps) / 6.0, options.rowsPerDay(),
                w.rowsPerBucket(), 100 * options.lateShare(), w.lateFiles(), w.upsertFiles(), 10 * maxLateSteps, policy.windowHours(),
                policy.settle(), policy.late().maxShare(), policy.late().maxFiles(), policy.late().maxWait());
        out.flush();

        SimClock clock = new SimClock(START);
        Sampler sampler = new Sampler(windowNs, settleNs + debounceNs, measuredEnd);
        Map<String, Long> serverMetadataKeys = new HashMap<>();
        long serverMetadataBytes = 0;
        long kompactorMetadataBytes = 0;
        long rowsWritten = 0;
        long serverFiles = 0;
        int restarts = 0;
        int timeouts = 0;
        double syncSeconds = 0;
        ObjectNode lastStatus = BenchPhase.obj();
        double startupCpu;
        double cpuEnd;
        long peakRss;
        ResultsCheck.Result results;
        StateDir state = StateDir.defaultFor(data);
        try (InfluxDb3Simulator sim = InfluxDb3Simulator.start(data, SimulatorOptions.builder(HOST).http(true)
                .ledger(ledgerDir).build(), clock);
             ProcStats.DirSizeSampler spill = new ProcStats.DirSizeSampler(state.tmp(), DuckDb.SPILL_DIR)) {
            settings.put("kompactor.data-dir", data.toString());
            settings.put("kompactor.hosts", HOST);
            settings.put("kompactor.influxdb.url", sim.url().toString());
            settings.put("camel.management.port", Integer.toString(freePort()));
            settings.put(BenchDaemon.CLOCK_START, START.toString());
            DaemonProcess daemon = null;
            try {
                for (long step = 0; step < steps; step++) {
                    Instant now = START.plusNanos((step + 1) * Workload.GEN1_NS);
                    clock.set(now);
                    if (daemon != null) {
                        daemon.clock(now);
                    }
                    if (step > 0 && Math.floorMod(now.getEpochSecond(), 86_400L) == 43_200L) {
                        sim.restart(); // noon: the restart evidence for retiring originals
                        restarts++;
                    }
                    List<Row> rows = w.onTime(step);
                    sim.write(DB, TABLE, rows);
                    rowsWritten += rows.size();
                    Set<Long> upsertBuckets = new HashSet<>();
                    for (Workload.LateFile f : w.dueAt(step)) {
                        List<Row> late = w.late(f);
                        sim.write(DB, TABLE, late);
                        rowsWritten += late.size();
                        if (f.upsert()) {
                            upsertBuckets.add(w.bucketStart(f.bucket()));
                        }
                    }
                    SnapshotDoc doc = sim.persistSnapshot().orElseThrow();
                    for (ParquetFile f : doc.databases().allFiles()) {
                        serverFiles++;
                        sampler.serverWrote(f, now, upsertBuckets.contains(f.chunkTime()));
                    }
                    Map<String, Long> afterServer = metadataKeys(data.resolve(HOST));
                    serverMetadataBytes += changedBytes(data.resolve(HOST), serverMetadataKeys, afterServer);
                    if (daemon == null) {
                        daemon = DaemonProcess.start(work, settings, work.resolve("daemon.log"));
                    }
                    long s0 = System.nanoTime();
                    DaemonProcess.Sync sync = daemon.sync(options.syncTimeoutSeconds());
                    syncSeconds += (System.nanoTime() - s0) / 1e9;
                    if (!sync.quiet()) {
                        timeouts++;
                        out.printf(Locale.ROOT, "  step %d: the daemon was not quiet after %d s%n", step,
                                options.syncTimeoutSeconds());
                    }
                    lastStatus = sync.status();
                    Map<String, Long> afterDaemon = metadataKeys(data.resolve(HOST));
                    kompactorMetadataBytes += changedBytes(data.resolve(HOST), afterServer, afterDaemon);
                    serverMetadataKeys = afterDaemon;
                    sampler.sample(now, RestartLoader.load(data, HOST, LoadOptions.server()).files().allFiles(), data);
                    if ((step + 1) % 144 == 0 || step == steps - 1) {
                        out.printf(Locale.ROOT, "  day %.1f: %.0f s, daemon %.1f CPU-s, %s committed, "
                                        + "max files per settled window %d%n", (step + 1) / 144.0,
                                (System.nanoTime() - wall0) / 1e9, daemon.cpuSeconds(),
                                Units.count(lastStatus.path("plans_committed").asLong(), "plan"), sampler.maxFilesSettled);
                        out.flush();
                    }
                }
                startupCpu = lastStatus.path("first_quiet_cpu_s").asDouble();
                cpuEnd = daemon.cpuSeconds();
                peakRss = daemon.peakRssBytes();
                daemon.stop();
            } finally {
                if (daemon != null) {
                    daemon.close();
                }
            }
            out.println("checking what a restarted server returns ...");
            out.flush();
            results = ResultsCheck.compare(data, HOST, sim.ledger().orElseThrow(), work.resolve("check-tmp"));
            lastStatus.put("peak_spill_bytes", spill.maxBytes());
        }

        // What Kompactor wrote into the data dir: the outputs of its committed compactions, by window.
        List<JournalEntry> journal;
        try (Workspace ws = Workspace.forReading(Workspace.Options.of(data, null, "bench"))) {
            journal = ws.journal().list();
        }
        long outAll = 0;
        long outMeasured = 0;
        long outMeasuredLate = 0;
        int fullMeasured = 0;
        long inputBytes = 0;
        int full = 0;
        int gathers = 0;
        for (JournalEntry e : journal) {
            if (e.kind() != TxKind.COMPACT || !(e.state() == TxState.KEPT || e.state() == TxState.RETIRED)) {
                continue;
            }
            boolean late = e.outputs().stream().allMatch(o -> CompactedName.isLate(o.path()));
            if (late) {
                gathers++;
            } else {
                full++;
            }
            for (ParquetFileEntry o : e.outputs()) {
                outAll += o.sizeBytes();
                if (Math.floorDiv(o.chunkTime(), windowNs) * windowNs + windowNs <= measuredEnd) {
                    outMeasured += o.sizeBytes();
                    if (late) {
                        outMeasuredLate += o.sizeBytes();
                    } else {
                        fullMeasured++;
                    }
                }
            }
            inputBytes += e.inputs().stream().mapToLong(ParquetFileEntry::sizeBytes).sum();
        }
        long serverMeasured = sampler.serverBytesBefore(measuredEnd);
        double gb = sampler.serverBytes / 1e9;

        ObjectNode r = BenchPhase.obj();
        r.put("mode", "continuous");
        r.put("days", options.days());
        r.put("drain_hours", (steps - dataSteps) / 6.0);
        r.put("rows_per_day", options.rowsPerDay());
        r.put("late_share", options.lateShare());
        r.put("max_late_s", options.maxLate().toSeconds());
        r.put("series", SERIES);
        r.put("seed", SEED);
        r.put("steps", steps);
        r.put("rows_written", rowsWritten);
        r.put("server_files", serverFiles);
        r.put("late_files", w.lateFiles());
        r.put("upsert_files", w.upsertFiles());
        r.put("server_restarts", restarts);
        r.put("write_amplification", BenchPhase.round(serverMeasured == 0 ? Double.NaN : (double) outMeasured / serverMeasured));
        r.put("write_amplification_all_windows", BenchPhase.round(sampler.serverBytes == 0 ? Double.NaN
                : (double) outAll / sampler.serverBytes));
        r.put("server_parquet_bytes", sampler.serverBytes);
        r.put("server_parquet_bytes_measured", serverMeasured);
        r.put("kompactor_parquet_bytes", outAll);
        r.put("kompactor_parquet_bytes_measured", outMeasured);
        // the parts of write_amplification: merges of whole windows, and gathers of late files into one
        r.put("write_amplification_full_merges", BenchPhase.round(serverMeasured == 0 ? Double.NaN
                : (double) (outMeasured - outMeasuredLate) / serverMeasured));
        r.put("write_amplification_late_gathers", BenchPhase.round(serverMeasured == 0 ? Double.NaN
                : (double) outMeasuredLate / serverMeasured));
        r.put("full_merge_outputs_measured", fullMeasured);
        r.put("kompactor_input_bytes", inputBytes);
        r.put("kompactor_metadata_bytes", kompactorMetadataBytes);
        r.put("server_metadata_bytes", serverMetadataBytes);
        r.put("backup_bytes", ProcStats.DirSizeSampler.size(state.backupRoot()));
        r.put("retired_bytes", ProcStats.DirSizeSampler.size(state.retiredRoot()));
        r.put("peak_spill_bytes", lastStatus.path("peak_spill_bytes").asLong());
        r.put("unlisted_original_bytes_end", sampler.unlistedBytes);
        r.put("peak_unlisted_original_bytes", sampler.peakUnlistedBytes);
        r.put("full_merges", full);
        r.put("late_gathers", gathers);
        r.put("plan_passes", lastStatus.path("plan_passes").asLong());
        r.put("failures", lastStatus.path("failures").asLong());
        r.put("dead_letters", lastStatus.path("dead_letters").asLong());
        r.put("cpu_s", BenchPhase.round(cpuEnd));
        r.put("startup_cpu_s", BenchPhase.round(startupCpu));
        r.put("cpu_s_per_gb", BenchPhase.round((cpuEnd - startupCpu) / gb));
        r.put("cpu_s_per_gb_with_startup", BenchPhase.round(cpuEnd / gb));
        r.put("max_files_per_settled_window", sampler.maxFilesSettled);
        r.put("max_files_per_window_any", sampler.maxFilesAny);
        ObjectNode hist = r.putObject("settled_window_samples_by_files");
        sampler.histogram.forEach((k, v) -> hist.put(Integer.toString(k), v));
        r.put("max_settle_to_compacted_s", sampler.maxSettleToCompactedS());
        r.put("windows_compacted", sampler.firstCompacted.size());
        r.put("settled_windows_never_compacted", sampler.neverCompacted());
        r.put("max_upsert_visible_s", sampler.maxUpsertVisibleS());
        r.put("peak_rss_bytes", peakRss);
        r.put("results_equal", results.equal());
        ObjectNode res = r.putObject("results");
        res.put("expected_rows", results.expectedRows());
        res.put("returned_rows", results.actualRows());
        res.put("only_expected", results.onlyExpected());
        res.put("only_returned", results.onlyActual());
        res.put("keys_twice_within_a_file", results.duplicateKeysWithinFiles());
        results.problems().forEach(res.putArray("problems")::add);
        r.put("sync_timeouts", timeouts);
        r.put("sync_seconds", BenchPhase.round(syncSeconds));
        r.put("wall_seconds", BenchPhase.round((System.nanoTime() - wall0) / 1e9));
        ObjectNode ds = r.putObject("daemon_settings");
        settings.forEach((k, v) -> {
            if (!k.equals("kompactor.data-dir") && !k.equals("kompactor.influxdb.url") && !k.startsWith("bench.")
                    && !k.equals("camel.management.port")) {
                ds.put(k, v);
            }
        });
        ds.put("kompactor.window-hours", policy.windowHours());
        ds.put("kompactor.settle", policy.settle().toString());
        ds.put("kompactor.late.max-share", policy.late().maxShare());
        ds.put("kompactor.late.max-files", policy.late().maxFiles());
        ds.put("kompactor.late.max-wait", policy.late().maxWait().toString());
        r.set("machine", Bench.machine());
        ObjectNode t = r.putObject("targets");
        Bench.target(t, "write_amplification", r.get("write_amplification").asDouble(), "<=", TARGET_WA);
        Bench.target(t, "max_files_per_settled_window", sampler.maxFilesSettled, "<=", TARGET_FILES_PER_WINDOW);
        Bench.target(t, "peak_rss_bytes", peakRss, "<=", TARGET_PEAK_RSS);
        ObjectNode eq = t.putObject("results_equal");
        eq.put("value", results.equal());
        eq.put("met", results.equal());
        print(r);
        return r;
    }

    private void print(ObjectNode r) {
        out.println();
        out.printf(Locale.ROOT, "%-46s %14s %12s %5s%n", "continuous", "measured", "target", "met");
        row(r, "write amplification (measured windows)", "write_amplification", "%.3f");
        row(r, "max files per settled window", "max_files_per_settled_window", "%.0f");
        out.printf(Locale.ROOT, "%-46s %14s %12s %5s%n", "peak RSS of the daemon",
                String.format(Locale.ROOT, "%,d MiB", r.get("peak_rss_bytes").asLong() >> 20), "<= 1536 MiB",
                r.get("targets").get("peak_rss_bytes").get("met").asBoolean() ? "yes" : "NO");
        out.printf(Locale.ROOT, "%-46s %14s %12s %5s%n", "results equal after a restart",
                r.get("results_equal").asBoolean() ? "yes" : "NO", "yes", r.get("results_equal").asBoolean() ? "yes" : "NO");
        out.printf(Locale.ROOT, "%-46s %14.1f%n", "daemon CPU-s per GB ingested", r.get("cpu_s_per_gb").asDouble());
        out.printf(Locale.ROOT, "%-46s %14.0f%n", "max settle -> compacted, simulated s",
                r.get("max_settle_to_compacted_s").asDouble());
        out.printf(Locale.ROOT, "%-46s %14.0f%n", "max s a key-repeating late file stayed listed",
                r.get("max_upsert_visible_s").asDouble());
        out.printf(Locale.ROOT, "%-46s %14s%n", "full merges / late gathers",
                r.get("full_merges").asInt() + " / " + r.get("late_gathers").asInt());
        out.printf(Locale.ROOT, "%-46s %14s%n", "metadata / backup / peak spill bytes",
                r.get("kompactor_metadata_bytes").asLong() + " / " + r.get("backup_bytes").asLong() + " / "
                        + r.get("peak_spill_bytes").asLong());
        if (!r.get("results_equal").asBoolean()) {
            out.println("results differ: " + r.get("results").get("problems"));
        }
        out.flush();
    }

    private void row(ObjectNode r, String label, String key, String fmt) {
        ObjectNode t = (ObjectNode) r.get("targets").get(key);
        out.printf(Locale.ROOT, "%-46s %14s %12s %5s%n", label, String.format(Locale.ROOT, fmt, t.get("value").asDouble()),
                t.get("target").asText(), t.get("met").asBoolean() ? "yes" : "NO");
    }

    /** The identity (inode) and size of every metadata file of the node: a rewrite is a new identity. */
    static Map<String, Long> metadataKeys(Path node) throws IOException {
        Map<String, Long> out = new HashMap<>();
        for (String area : List.of("snapshots", "snapshot-checkpoints", "db-indices", "table-snapshots")) {
            Path dir = node.resolve(area);
            if (!Files.isDirectory(dir)) {
                continue;
            }
            for (Path p : files(dir, ".json")) {
                try {
                    BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
                    out.put(node.relativize(p).toString(), (long) a.fileKey().hashCode() * 31 + a.lastModifiedTime()
                            .toMillis() * 17 + a.size());
                } catch (IOException e) {
                    // replaced while we looked: the next look sees the new one
                }
            }
        }
        return out;
    }

    /**
     * Regular files under {@code root} ending in {@code suffix}; the daemon may move files and remove folders while we
     * look (retirement), which skips them instead of failing.
     */
    static List<Path> files(Path root, String suffix) throws IOException {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return out;
        }
        Files.walkFileTree(root, new java.nio.file.SimpleFileVisitor<>() {
            @Override
            public java.nio.file.FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (attrs.isRegularFile() && file.getFileName().toString().endsWith(suffix)) {
                    out.add(file);
                }
                return java.nio.file.FileVisitResult.CONTINUE;
            }

            @Override
            public java.nio.file.FileVisitResult visitFileFailed(Path file, IOException e) {
                return java.nio.file.FileVisitResult.CONTINUE;
            }
        });
        return out;
    }

    /** Bytes of the metadata files that are new or another file in {@code after} than in {@code before}. */
    private static long changedBytes(Path node, Map<String, Long> before, Map<String, Long> after) {
        long bytes = 0;
        for (Map.Entry<String, Long> e : after.entrySet()) {
            if (!e.getValue().equals(before.get(e.getKey()))) {
                try {
                    bytes += Files.size(node.resolve(e.getKey()));
                } catch (IOException ex) {
                    // gone again
                }
            }
        }
        return bytes;
    }

    static int freePort() throws IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /**
     * What a restarted server would list, after each step: files per window, when each window was first compacted,
     * how long late files repeating keys stayed listed beside a compacted file; and what the server wrote.
     */
    static final class Sampler {
        private final long windowNs;
        private final long settleNs;
        private final long measuredEnd;
        final Map<Integer, Long> histogram = new TreeMap<>();
        final Map<Long, Long> firstCompacted = new HashMap<>();
        private final Map<Long, Long> settledWithFiles = new HashMap<>();
        private final Map<Long, Long> serverBytesByWindow = new TreeMap<>();
        /** Late files repeating keys that landed in a window already compacted: path -> persist time (ns). */
        private final Map<String, Long> upserts = new HashMap<>();
        private long maxUpsertVisibleNs;
        private long lastNs;
        long serverBytes;
        int maxFilesSettled;
        int maxFilesAny;
        long unlistedBytes;
        long peakUnlistedBytes;

        Sampler(long windowNs, long settleNs, long measuredEnd) {
            this.windowNs = windowNs;
            this.settleNs = settleNs;
            this.measuredEnd = measuredEnd;
        }

        private long window(long chunkTime) {
            return Math.floorDiv(chunkTime, windowNs) * windowNs;
        }

        void serverWrote(ParquetFile f, Instant now, boolean upsert) {
            serverBytes += f.sizeBytes();
            serverBytesByWindow.merge(window(f.chunkTime()), f.sizeBytes(), Long::sum);
            if (upsert && firstCompacted.containsKey(window(f.chunkTime()))) {
                upserts.put(f.path(), nanos(now));
            }
        }

        long serverBytesBefore(long end) {
            return serverBytesByWindow.entrySet().stream().filter(e -> e.getKey() + windowNs <= end)
                    .mapToLong(Map.Entry::getValue).sum();
        }

        void sample(Instant now, List<ParquetFile> listed, Path dataDir) throws IOException {
            long t = nanos(now);
            lastNs = t;
            Map<Long, List<ParquetFile>> byWindow = new TreeMap<>();
            Set<String> paths = new HashSet<>();
            for (ParquetFile f : listed) {
                byWindow.computeIfAbsent(window(f.chunkTime()), k -> new ArrayList<>()).add(f);
                paths.add(f.path());
            }
            byWindow.forEach((w, files) -> {
                maxFilesAny = Math.max(maxFilesAny, files.size());
                boolean compacted = files.stream().anyMatch(f -> CompactedName.writeOrderOf(f.path()).isPresent()
                        && !CompactedName.isLate(f.path()));
                if (compacted) {
                    firstCompacted.putIfAbsent(w, t);
                }
                if (t >= w + windowNs + settleNs) {
                    histogram.merge(files.size(), 1L, Long::sum);
                    maxFilesSettled = Math.max(maxFilesSettled, files.size());
                    if (files.size() >= 2) {
                        settledWithFiles.putIfAbsent(w, w + windowNs + settleNs);
                    }
                }
            });
            for (var it = upserts.entrySet().iterator(); it.hasNext(); ) {
                var e = it.next();
                if (!paths.contains(e.getKey())) {
                    maxUpsertVisibleNs = Math.max(maxUpsertVisibleNs, t - e.getValue());
                    it.remove();
                }
            }
            long unlisted = 0;
            for (Path p : files(dataDir.resolve(HOST).resolve("dbs"), ".parquet")) {
                if (!paths.contains(dataDir.relativize(p).toString())) {
                    try {
                        unlisted += Files.size(p);
                    } catch (IOException e) {
                        // retired while we looked
                    }
                }
            }
            unlistedBytes = unlisted;
            peakUnlistedBytes = Math.max(peakUnlistedBytes, unlisted);
        }

        /** Simulated seconds from a window settling (with two files or more) to its first compaction. */
        double maxSettleToCompactedS() {
            long max = 0;
            for (Map.Entry<Long, Long> e : settledWithFiles.entrySet()) {
                Long c = firstCompacted.get(e.getKey());
                max = Math.max(max, (c == null ? lastNs : c) - e.getValue());
            }
            return max / 1e9;
        }

        long neverCompacted() {
            return settledWithFiles.keySet().stream().filter(w -> !firstCompacted.containsKey(w)).count();
        }

        double maxUpsertVisibleS() {
            long max = maxUpsertVisibleNs;
            for (long since : upserts.values()) {
                max = Math.max(max, lastNs - since);
            }
            return max / 1e9;
        }

        private static long nanos(Instant t) {
            return t.getEpochSecond() * 1_000_000_000L + t.getNano();
        }
    }
}
