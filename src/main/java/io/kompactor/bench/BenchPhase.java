package io.kompactor.bench;

import io.kompactor.engine.LazyMerger;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kompactor.commit.ServerProbe;
import io.kompactor.commit.Transactions;
import io.kompactor.commit.Workspace;
import io.kompactor.engine.ProgressListener;
import io.kompactor.commit.RetirePolicy;
import io.kompactor.commit.StateDir;
import io.kompactor.engine.CompactionEngine;
import io.kompactor.engine.PlanOutcome;
import io.kompactor.engine.RunReport;
import io.kompactor.merge.DuckDbMerger;
import io.kompactor.merge.MergeAhead;
import io.kompactor.merge.MergeResult;
import io.kompactor.merge.MergeSettings;
import io.kompactor.merge.MergedFile;
import io.kompactor.parquet.DuckDb;
import io.kompactor.parquet.Sql;
import io.kompactor.plan.CompactionPlan;
import io.kompactor.plan.HostPlan;
import io.kompactor.plan.PlanInput;
import io.kompactor.plan.Planner;
import io.kompactor.plan.PlannerOptions;
import io.kompactor.plan.TablePolicies;
import io.kompactor.plan.TablePolicy;
import io.kompactor.snapshot.HostMetadata;
import io.kompactor.snapshot.Json;
import io.kompactor.snapshot.ParquetFileEntry;
import io.kompactor.snapshot.ServerView;
import io.kompactor.snapshot.TableKey;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One measured phase of the benchmark. Run as the main class of a fresh JVM (the default), so each phase's peak
 * RSS is that of a process that did only this, like a real {@code kompactor compact} run; or in-process.
 * <p>
 * {@code java -cp kompactor.jar io.kompactor.bench.BenchPhase <phase> <result.json> key=value...}
 */
public final class BenchPhase {
    static final String FLOOR = "floor";
    static final String MERGE = "merge";
    static final String E2E = "e2e";
    static final String PLAN = "plan";
    /** Floor variants: the floor proper sorts by the series key then time; the others show the sort's share. */
    static final String ORDER_SERIES = "series";
    static final String ORDER_TIME = "time";
    static final String ORDER_NONE = "none";

    private BenchPhase() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 2; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            params.put(args[i].substring(0, eq), args[i].substring(eq + 1));
        }
        System.out.println("bench phase " + args[0] + " " + params);
        ObjectNode r = run(args[0], params);
        Files.write(Path.of(args[1]), Json.prettyBytes(r, true));
        System.out.println("result: " + r);
        System.exit(0);
    }

    static ObjectNode run(String phase, Map<String, String> p) throws Exception {
        double cpu0 = ProcStats.cpuSeconds();
        ObjectNode r = switch (phase) {
            case FLOOR -> floor(Path.of(p.get("data")), Path.of(p.get("tmp")), p.getOrDefault("order", ORDER_SERIES));
            case MERGE -> merge(Path.of(p.get("data")), Path.of(p.get("tmp")), window(p));
            case E2E -> endToEnd(Path.of(p.get("data")), window(p));
            case PLAN -> plan(Path.of(p.get("data")), Integer.parseInt(p.get("loaded")));
            default -> throw new IllegalArgumentException("unknown phase " + phase);
        };
        r.put("phase", phase);
        r.put("cpu_s", round(ProcStats.cpuSeconds() - cpu0));
        r.put("peak_rss_bytes", ProcStats.peakRssBytes());
        r.put("load_average_end", ProcStats.loadAverage());
        return r;
    }

    private static int window(Map<String, String> p) {
        return Integer.parseInt(p.getOrDefault("window", "24"));
    }

    /** The default planner options with another window size. */
    static PlannerOptions plannerOptions(int windowHours) {
        PlannerOptions d = PlannerOptions.defaults();
        TablePolicy p = d.policies().defaults();
        return new PlannerOptions(d.loadedSnapshots(), TablePolicies.uniform(new TablePolicy(p.name(), p.included(),
                windowHours, p.minInputs(), p.settle(), p.targetFileBytes(), p.late())));
    }

    /** The ORDER BY of a floor variant, empty for none. */
    private static String floorOrder(String order) {
        return switch (order) {
            case ORDER_SERIES -> " ORDER BY " + BenchData.SERIES_KEY.stream().map(Sql::ident)
                    .collect(Collectors.joining(", ")) + ", \"time\"";
            case ORDER_TIME -> " ORDER BY \"time\"";
            case ORDER_NONE -> "";
            default -> throw new IllegalArgumentException("unknown floor order " + order);
        };
    }

    /**
     * The floor: per table one {@code COPY (SELECT * FROM read_parquet([...], union_by_name=true) ORDER BY <series
     * key>, time) TO ... (FORMAT parquet, COMPRESSION zstd)} over every file the snapshots list, no de-duplication,
     * on an instance opened with Kompactor's default settings (memory_limit, threads, spill dir, insertion order).
     * Timed from opening DuckDB to the end of the last COPY. {@code order} picks a variant (sorted by time only, or
     * not sorted) for comparison; the floor proper is {@link #ORDER_SERIES}.
     */
    static ObjectNode floor(Path dataDir, Path tmp, String order) throws Exception {
        ObjectNode r = obj();
        Files.createDirectories(tmp);
        MergeSettings settings = MergeSettings.defaults(tmp);
        Map<TableKey, List<ParquetFileEntry>> tables = allFiles(dataDir);
        long rows = 0;
        long outRows = 0;
        long copyNs = 0;
        long t0 = System.nanoTime();
        try (ProcStats.DirSizeSampler spill = new ProcStats.DirSizeSampler(tmp.resolve(DuckDb.SPILL_DIR));
             Connection c = settings.openDuckDb()) {
            int i = 0;
            for (List<ParquetFileEntry> files : tables.values()) {
                rows += files.stream().mapToLong(ParquetFileEntry::rowCount).sum();
                Path out = tmp.resolve("floor-" + i++ + ".parquet");
                long c0 = System.nanoTime();
                try (PreparedStatement ps = c.prepareStatement("COPY (SELECT * FROM read_parquet(?, union_by_name = true)"
                        + floorOrder(order) + ") TO " + Sql.literal(out.toString())
                        + " (FORMAT parquet, COMPRESSION zstd, RETURN_STATS true)")) {
                    ps.setArray(1, c.createArrayOf("VARCHAR",
                            files.stream().map(e -> dataDir.resolve(e.path()).toString()).toArray()));
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            outRows += rs.getLong("count");
                        }
                    }
                }
                copyNs += System.nanoTime() - c0;
                Files.deleteIfExists(out);
            }
            r.put("seconds", round((System.nanoTime() - t0) / 1e9));
            r.put("copy_seconds", round(copyNs / 1e9));
            r.put("peak_spill_bytes", spill.maxBytes());
        }
        r.put("rows", rows);
        r.put("output_rows", outRows);
        r.put("order", order);
        r.put("memory_limit", settings.memoryLimit());
        r.put("threads", settings.threads());
        r.put("duckdb_version", duckdbVersion());
        return r;
    }

    /**
     * Kompactor's merge alone (no commit): plan with the default options, check each table's inputs and merge
     * (de-duplicate where inputs overlap, sort, write, verify) every plan with the default merge settings, ahead of
     * the plan taking its result, as the engine does; outputs are deleted. Timed from planning to the last verified output.
     */
    static ObjectNode merge(Path dataDir, Path tmp, int windowHours) throws Exception {
        ObjectNode r = obj();
        Files.createDirectories(tmp);
        MergeSettings settings = MergeSettings.defaults(tmp);
        long t0 = System.nanoTime();
        long inRows = 0;
        long outRows = 0;
        ArrayNode plans = r.putArray("plans");
        try (ProcStats.DirSizeSampler spill = new ProcStats.DirSizeSampler(tmp.resolve(DuckDb.SPILL_DIR))) {
            HostPlan hp = new Planner(plannerOptions(windowHours), Clock.systemUTC())
                    .plan(HostMetadata.load(dataDir, BenchData.HOST));
            try (DuckDbMerger merger = new DuckDbMerger(settings)) {
                Map<TableKey, List<CompactionPlan>> byTable = hp.plans().stream()
                        .collect(Collectors.groupingBy(CompactionPlan::table, LinkedHashMap::new, Collectors.toList()));
                for (List<CompactionPlan> table : byTable.values()) {
                    merger.checkInputs(dataDir, table.stream().flatMap(pl -> pl.inputs().stream())
                            .map(PlanInput::entry).toList());
                    try (MergeAhead ahead = merger.mergeAhead(table)) {
                        r.put("parallel_merges", ahead.parallel());
                        for (CompactionPlan plan : table) {
                            MergeResult m = ahead.take(plan);
                            inRows += m.inputRows();
                            outRows += m.outputRows();
                            plans.add(planJson(plan, m.durationNanos(), m.outputRows()));
                            for (MergedFile f : m.outputs()) {
                                Files.deleteIfExists(f.tmpFile());
                            }
                        }
                    }
                }
            }
            r.put("seconds", round((System.nanoTime() - t0) / 1e9));
            r.put("peak_spill_bytes", spill.maxBytes());
        }
        r.put("rows", inRows);
        r.put("output_rows", outRows);
        r.put("memory_limit", settings.memoryLimit());
        r.put("threads", settings.threads());
        return r;
    }

    /**
     * Kompactor end to end, as {@code kompactor compact <dir>} runs it with default options: recover, plan, check
     * inputs, merge with de-duplication and verification, commit (journal, move, snapshot rewrite, retire the
     * originals). Timed from before the state dir is created to the end of the run.
     */
    static ObjectNode endToEnd(Path dataDir, int windowHours) throws Exception {
        ObjectNode r = obj();
        StateDir state = StateDir.defaultFor(dataDir);
        long t0 = System.nanoTime();
        RunReport report;
        // The run's spill dir is inside a scratch dir named only once the workspace opens: sample every spill dir.
        try (ProcStats.DirSizeSampler spill = new ProcStats.DirSizeSampler(state.tmp(), DuckDb.SPILL_DIR)) {
            try (Workspace ws = Workspace.forWriting(Workspace.Options.of(dataDir, null, "bench"));
                 LazyMerger merger = new LazyMerger(MergeSettings.defaults(ws.scratch()))) {
                Transactions tx = new Transactions(ws, ServerProbe.NONE);
                report = new CompactionEngine(new Planner(plannerOptions(windowHours), Clock.systemUTC()), merger,
                        tx, RetirePolicy.IMMEDIATE).run(dataDir, List.of(BenchData.HOST), false, ProgressListener.NONE);
            }
            r.put("seconds", round((System.nanoTime() - t0) / 1e9));
            r.put("peak_spill_bytes", spill.maxBytes());
        }
        ArrayNode plans = r.putArray("plans");
        long inRows = 0;
        long outRows = 0;
        List<String> errors = new ArrayList<>();
        for (PlanOutcome o : report.outcomes()) {
            inRows += o.plan().inputRows();
            long out = o instanceof PlanOutcome.Committed c ? c.commit().outputRows() : 0;
            outRows += out;
            plans.add(planJson(o.plan(), o.durationNanos(), out));
            if (o instanceof PlanOutcome.Failed f) {
                errors.add(o.plan().label() + ": FAILED " + f.message());
            }
        }
        errors.addAll(report.problems());
        r.put("rows", inRows);
        r.put("output_rows", outRows);
        r.put("committed", report.count(PlanOutcome.Committed.class));
        r.put("failed", report.count(PlanOutcome.Failed.class));
        ArrayNode err = r.putArray("errors");
        errors.forEach(err::add);
        // After the timing: what a restarted server would now see.
        HostMetadata after = HostMetadata.load(dataDir, BenchData.HOST);
        ServerView view = ServerView.of(after, after.era().defaultLoadedSnapshots());
        r.put("visible_rows_after", view.visible().values().stream().flatMap(List::stream)
                .mapToLong(ParquetFileEntry::rowCount).sum());
        r.put("visible_files_after", view.visible().values().stream().mapToLong(List::size).sum());
        MergeSettings settings = MergeSettings.defaults(state.tmp());
        r.put("memory_limit", settings.memoryLimit());
        r.put("threads", settings.threads());
        return r;
    }

    /** {@code HostMetadata.load} + {@code Planner.plan}, cold (first in this JVM) and once more warm. */
    static ObjectNode plan(Path dataDir, int loadedSnapshots) {
        ObjectNode r = obj();
        PlannerOptions options = new PlannerOptions(24, 2, Duration.ofHours(1),
                PlannerOptions.DEFAULT_TARGET_FILE_BYTES, loadedSnapshots);
        Planner planner = new Planner(options, Clock.systemUTC());
        for (String run : new String[]{"cold", "warm"}) {
            long t0 = System.nanoTime();
            HostMetadata m = HostMetadata.load(dataDir, BenchData.HOST);
            long t1 = System.nanoTime();
            HostPlan hp = planner.plan(m);
            long t2 = System.nanoTime();
            ObjectNode o = r.putObject(run);
            o.put("seconds", round((t2 - t0) / 1e9));
            o.put("load_seconds", round((t1 - t0) / 1e9));
            o.put("plan_seconds", round((t2 - t1) / 1e9));
            o.put("snapshots", m.snapshots().size());
            o.put("files_planned", hp.plans().stream().mapToLong(pl -> pl.inputs().size()).sum());
            o.put("plans", hp.plans().size());
        }
        r.put("seconds", r.get("cold").get("seconds").asDouble());
        return r;
    }

    private static ObjectNode planJson(CompactionPlan plan, long nanos, long outRows) {
        ObjectNode o = obj();
        o.put("table", plan.table().toString());
        o.put("window_start", java.time.Instant.ofEpochSecond(0, plan.windowStart()).toString());
        o.put("inputs", plan.inputs().size());
        o.put("rows", plan.inputRows());
        o.put("output_rows", outRows);
        o.put("seconds", round(nanos / 1e9));
        o.put("rows_per_s", nanos == 0 ? 0 : Math.round(plan.inputRows() / (nanos / 1e9)));
        return o;
    }

    /** Every file the snapshots list, per table, in id (write) order. */
    static Map<TableKey, List<ParquetFileEntry>> allFiles(Path dataDir) {
        HostMetadata m = HostMetadata.load(dataDir, BenchData.HOST);
        Map<TableKey, Map<Long, ParquetFileEntry>> byTable = new java.util.TreeMap<>(
                Comparator.comparingLong(TableKey::dbId).thenComparingLong(TableKey::tableId));
        m.snapshots().forEach(s -> s.files().forEach((t, l) -> l.forEach(
                e -> byTable.computeIfAbsent(t, k -> new java.util.TreeMap<>()).put(e.id(), e))));
        Map<TableKey, List<ParquetFileEntry>> out = new LinkedHashMap<>();
        byTable.forEach((t, files) -> out.put(t, List.copyOf(files.values())));
        return out;
    }

    static String duckdbVersion() {
        try (Connection c = DuckDb.openLight(); PreparedStatement ps = c.prepareStatement("SELECT version()");
             ResultSet r = ps.executeQuery()) {
            r.next();
            return r.getString(1);
        } catch (SQLException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    static ObjectNode obj() {
        return JsonNodeFactory.instance.objectNode();
    }

    static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
