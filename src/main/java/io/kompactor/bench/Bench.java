package io.kompactor.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kompactor.config.Units;
import io.kompactor.merge.MergeSettings;
import io.kompactor.snapshot.Json;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The benchmark: Kompactor end to end beside a plain sorted DuckDB COPY of the same inputs (the floor), with the cost
 * of de-duplication, planning time and peak memory (README.md, "Benchmark"). Generates the data dirs, runs each
 * measured phase (by default in a fresh JVM of its own, see {@link BenchPhase}), prints a table and returns the JSON
 * report.
 */
public final class Bench {

    /** What to run. {@code workDir} null: a fresh temp dir, deleted at the end unless {@code keep}. */
    public record Options(long rows, int files, int tables, double duplicatesPercent, Path workDir, boolean keep,
                          boolean inProcess, int planSnapshots, int planFilesPerSnapshot, int windowHours) {
        public static Options defaults() {
            return new Options(20_000_000L, 200, 1, 1.0, null, false, false, 10_000, 10, 24);
        }
    }

    public static final double TARGET_RATIO = 0.8;
    public static final double TARGET_DEDUP_COST = 1.25;
    public static final long TARGET_PEAK_RSS = 3L << 29; // 1.5 GiB
    public static final double TARGET_PLAN_S = 5.0;
    public static final double TARGET_HISTORY = 0.9;

    /**
     * The floor and its variants on the same data, each in its own phase: the floor proper (series key, then
     * time), a COPY sorted by time only and one with no sort, to show what the sort itself costs.
     */
    private static final String[][] FLOORS = {
        {"floor", BenchPhase.ORDER_SERIES}, {"floor_time_sort", BenchPhase.ORDER_TIME},
        {"floor_no_sort", BenchPhase.ORDER_NONE}};

    private final Options options;
    private final PrintWriter out;

    public Bench(Options options, PrintWriter out) {
        this.options = options;
        this.out = out;
    }

    /** {@code bench --continuous}: the daemon beside a simulated live server ({@link ContinuousBench}). */
    public static ObjectNode continuous(double days, long rowsPerDay, double lateShare, java.time.Duration maxLate,
                                        Map<String, String> settings, Path workDir, boolean keep, PrintWriter out)
            throws Exception {
        ContinuousBench.Options d = ContinuousBench.Options.defaults();
        return new ContinuousBench(new ContinuousBench.Options(days, rowsPerDay, lateShare, maxLate, workDir, keep, settings,
                d.syncTimeoutSeconds()), out).run();
    }

    /** {@code bench --idle}: the daemon at rest on a year of compacted history ({@link IdleBench}). */
    public static ObjectNode idle(int snapshots, int idleSeconds, Path workDir, boolean keep, PrintWriter out)
            throws Exception {
        return new IdleBench(new IdleBench.Options(snapshots, idleSeconds, workDir, keep), out).run();
    }

    public ObjectNode run() throws Exception {
        return WorkDir.run(options.workDir(), options.keep(), "kompactor-bench-", out, this::run);
    }

    private ObjectNode run(Path work) throws Exception {
        ObjectNode report = BenchPhase.obj();
        ObjectNode machine = machine();
        out.printf(Locale.ROOT, "kompactor bench in %s (%s)%n", work,
                options.inProcess() ? "phases in this process" : "each phase in a fresh JVM");
        out.printf(Locale.ROOT, "generating %,d rows in %d files, %s, %.2f%% duplicates ...%n",
                options.rows(), options.files(), Units.count(options.tables(), "table"), options.duplicatesPercent());
        out.flush();
        BenchData.Generated g = new BenchData().generate(work.resolve("data"), options.rows(), options.files(),
                options.tables(), options.duplicatesPercent(), Runtime.getRuntime().availableProcessors());
        out.printf(Locale.ROOT, "  generated in %.1f s: %,d bytes (no-overlap twin %,d bytes)%n", g.seconds(),
                g.dupBytes(), g.nodupBytes());
        out.flush();

        Map<String, ObjectNode> phases = new LinkedHashMap<>();
        String window = Integer.toString(options.windowHours());
        for (String[] floor : FLOORS) {
            phases.put(floor[0], phase(work, floor[0], BenchPhase.FLOOR, Map.of("data", g.dupDir().toString(),
                    "tmp", work.resolve(floor[0] + "-tmp").toString(), "order", floor[1])));
        }
        phases.put("merge_dedup", phase(work, "merge_dedup", BenchPhase.MERGE, Map.of("data", g.dupDir().toString(),
                "tmp", work.resolve("merge-tmp-dup").toString(), "window", window)));
        phases.put("merge_no_overlap", phase(work, "merge_no_overlap", BenchPhase.MERGE, Map.of(
                "data", g.nodupDir().toString(), "tmp", work.resolve("merge-tmp-nodup").toString(), "window", window)));
        phases.put("kompactor_e2e", phase(work, "kompactor_e2e", BenchPhase.E2E,
                Map.of("data", g.dupDir().toString(), "window", window)));
        if (!options.keep()) {
            // --keep keeps them: the data dir as the end-to-end phase compacted it, and its no-overlap twin
            BenchData.deleteTree(g.dupDir());
            BenchData.deleteTree(g.nodupDir());
        }

        int planSnapshots = options.planSnapshots();
        int planFiles = planSnapshots * options.planFilesPerSnapshot();
        Path planDir = work.resolve("plan-metadata");
        long t0 = System.nanoTime();
        PlanningMetadata.write(planDir, planSnapshots, options.planFilesPerSnapshot());
        out.printf(Locale.ROOT, "  wrote %,d snapshots listing %,d files in %.1f s%n", planSnapshots, planFiles,
                (System.nanoTime() - t0) / 1e9);
        phases.put("plan", phase(work, "plan", BenchPhase.PLAN,
                Map.of("data", planDir.toString(), "loaded", Integer.toString(planSnapshots))));

        ObjectNode floor = phases.get("floor");
        ObjectNode e2e = phases.get("kompactor_e2e");
        ObjectNode mDup = phases.get("merge_dedup");
        ObjectNode mNo = phases.get("merge_no_overlap");
        double floorS = floor.get("seconds").asDouble();
        double e2eS = e2e.get("seconds").asDouble();
        long rows = g.rows();
        report.put("rows", rows);
        report.put("files", g.files());
        report.put("late_files", g.lateFiles());
        report.put("tables", options.tables());
        report.put("duplicates_pct", options.duplicatesPercent());
        report.put("duplicate_rows", g.duplicateRows());
        report.put("input_bytes", g.dupBytes());
        report.put("window_hours", options.windowHours());
        report.put("plans", e2e.get("plans").size());
        report.put("floor_seconds", floorS);
        report.put("floor_rows_per_s", Math.round(rows / floorS));
        report.put("floor_time_sort_s", phases.get("floor_time_sort").get("seconds").asDouble());
        report.put("floor_no_sort_s", phases.get("floor_no_sort").get("seconds").asDouble());
        report.put("kompactor_seconds", e2eS);
        report.put("kompactor_rows_per_s", Math.round(rows / e2eS));
        report.put("ratio", BenchPhase.round(floorS / e2eS));
        report.put("window" + options.windowHours() + "_ratio", BenchPhase.round(floorS / e2eS));
        double dedupS = mDup.get("seconds").asDouble();
        double noS = mNo.get("seconds").asDouble();
        report.put("merge_dedup_seconds", dedupS);
        report.put("merge_no_overlap_seconds", noS);
        report.put("dedup_cost", BenchPhase.round(dedupS / noS));
        // CPU seconds hold up better than wall time when other processes share the cores
        // (docs/architecture.md, "DuckDB facts the merge relies on").
        report.put("ratio_cpu", BenchPhase.round(floor.get("cpu_s").asDouble() / e2e.get("cpu_s").asDouble()));
        report.put("dedup_cost_cpu", BenchPhase.round(mDup.get("cpu_s").asDouble() / mNo.get("cpu_s").asDouble()));
        report.put("peak_rss_bytes", e2e.get("peak_rss_bytes").asLong());
        ObjectNode rss = report.putObject("peak_rss_bytes_by_phase");
        phases.forEach((k, v) -> rss.put(k, v.get("peak_rss_bytes").asLong()));
        report.put("peak_rss_isolation", options.inProcess() ? "in-process, VmHWM reset via /proc/self/clear_refs"
                : "one JVM per phase");
        report.put("plan_100k_files_s", phases.get("plan").get("seconds").asDouble());
        report.put("plan_files", planFiles);
        report.put("plan_snapshots", planSnapshots);
        report.put("history_throughput_ratio", historyRatio((ArrayNode) e2e.get("plans")));
        report.put("output_rows", e2e.get("output_rows").asLong());
        report.put("expected_output_rows", rows - g.duplicateRows());
        report.put("correct", e2e.get("output_rows").asLong() == rows - g.duplicateRows()
                && e2e.get("visible_rows_after").asLong() == rows - g.duplicateRows()
                && e2e.get("failed").asLong() == 0);
        report.put("generate_seconds", BenchPhase.round(g.seconds()));
        report.set("machine", machine);
        ObjectNode ph = report.putObject("phases");
        phases.forEach(ph::set);
        report.set("targets", targets(report));
        printTable(report, phases, g);
        return report;
    }

    /**
     * Throughput (rows/s) of the later half of the windows over that of the earlier half, by input rows: 1.0
     * means compacting the end of the backlog is as fast as its start.
     */
    static double historyRatio(ArrayNode plans) {
        List<JsonNode> list = new ArrayList<>();
        plans.forEach(list::add);
        list.sort(java.util.Comparator.comparing(p -> p.get("window_start").asText()));
        if (list.size() < 2) {
            return 1.0;
        }
        long total = list.stream().mapToLong(p -> p.get("rows").asLong()).sum();
        long rowsA = 0;
        long rowsB = 0;
        double sA = 0;
        double sB = 0;
        long seen = 0;
        for (JsonNode p : list) {
            long r = p.get("rows").asLong();
            double s = p.get("seconds").asDouble();
            boolean first = seen + r / 2 < total / 2 || rowsA == 0;
            if (first) {
                rowsA += r;
                sA += s;
            } else {
                rowsB += r;
                sB += s;
            }
            seen += r;
        }
        if (rowsB == 0 || sA == 0 || sB == 0) {
            return 1.0;
        }
        return BenchPhase.round((rowsB / sB) / (rowsA / sA));
    }

    private ObjectNode targets(ObjectNode r) {
        ObjectNode t = BenchPhase.obj();
        target(t, "ratio", r.get("ratio").asDouble(), ">=", TARGET_RATIO);
        target(t, "dedup_cost", r.get("dedup_cost").asDouble(), "<=", TARGET_DEDUP_COST);
        target(t, "peak_rss_bytes", r.get("peak_rss_bytes").asDouble(), "<=", TARGET_PEAK_RSS);
        target(t, "plan_100k_files_s", r.get("plan_100k_files_s").asDouble(), "<=", TARGET_PLAN_S);
        target(t, "history_throughput_ratio", r.get("history_throughput_ratio").asDouble(), ">=", TARGET_HISTORY);
        return t;
    }

    static void target(ObjectNode t, String key, double value, String op, double limit) {
        ObjectNode o = t.putObject(key);
        o.put("value", value);
        o.put("target", op + " " + limit);
        boolean measured = !Double.isNaN(value) && !Double.isInfinite(value) && value >= 0;
        o.put("met", measured && (op.equals(">=") ? value >= limit : value <= limit));
        if (!measured) {
            o.put("note", "not measured: a phase failed, see phases.*.error");
        }
    }

    private ObjectNode phase(Path work, String name, String phase, Map<String, String> params) throws Exception {
        out.printf(Locale.ROOT, "running %s ...%n", name);
        out.flush();
        ObjectNode r;
        try {
            if (options.inProcess()) {
                ProcStats.resetPeak();
                r = BenchPhase.run(phase, params);
            } else {
                r = child(work, name, phase, params);
            }
        } catch (Exception e) {
            // A failed phase is a result too (e.g. the merge running out of memory): report it and go on.
            r = BenchPhase.obj();
            r.put("phase", phase);
            r.put("error", String.valueOf(e.getMessage()));
            r.put("seconds", Double.NaN);
            r.put("cpu_s", Double.NaN);
            r.put("peak_rss_bytes", -1L);
            r.put("rows", 0L);
            r.put("output_rows", -1L);
            r.put("visible_rows_after", -1L);
            r.put("failed", 1L);
            r.putArray("plans");
            out.printf(Locale.ROOT, "  %s FAILED: %s%n", name, firstLines(String.valueOf(e.getMessage()), 3));
            out.flush();
            return r;
        }
        out.printf(Locale.ROOT, "  %s: %.2f s%n", name, r.get("seconds").asDouble());
        out.flush();
        return r;
    }

    private static ObjectNode child(Path work, String name, String phase, Map<String, String> params)
            throws IOException, InterruptedException {
        Path result = work.resolve(name + ".result.json");
        Path log = work.resolve(name + ".log");
        // the phase's log says what Kompactor did (plans, commits), as `run` logs it; the file is the phase's own
        List<String> cmd = ChildJvm.command(BenchPhase.class, List.of("-Dkompactor.log.level=info"));
        cmd.add(phase);
        cmd.add(result.toString());
        params.forEach((k, v) -> cmd.add(k + "=" + v));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        int rc = p.waitFor();
        if (rc != 0 || !Files.exists(result)) {
            List<String> lines = Files.exists(log) ? Files.readAllLines(log, StandardCharsets.UTF_8) : List.of();
            String tail = String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
            throw new IllegalStateException("bench phase " + name + " failed (exit " + rc + "):\n" + tail);
        }
        return Json.readObject(result);
    }

    private static String firstLines(String s, int n) {
        String[] lines = s.split("\n");
        StringBuilder b = new StringBuilder();
        for (String l : lines) {
            if (l.contains("Error") || l.contains("failed") || l.contains("Exception")) {
                b.append(l.length() > 300 ? l.substring(0, 300) + "..." : l).append(' ');
                if (--n == 0) {
                    break;
                }
            }
        }
        return b.length() == 0 ? s.substring(0, Math.min(300, s.length())) : b.toString().trim();
    }

    static ObjectNode machine() {
        ObjectNode m = BenchPhase.obj();
        m.put("cores", Runtime.getRuntime().availableProcessors());
        long mem = -1;
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            mem = os.getTotalMemorySize();
        }
        m.put("memory_bytes", mem);
        m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        m.put("duckdb", BenchPhase.duckdbVersion());
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        m.put("default_memory_limit", MergeSettings.defaultMemoryLimit());
        m.put("default_threads", Runtime.getRuntime().availableProcessors());
        m.put("load_average_start", ProcStats.loadAverage());
        return m;
    }

    private void printTable(ObjectNode r, Map<String, ObjectNode> phases, BenchData.Generated g) {
        JsonNode m = r.get("machine");
        out.println();
        out.printf(Locale.ROOT, "%,d rows, %d files (%d late), %s, %,d duplicate rows (%.2f%%), %.1f MB input%n",
                r.get("rows").asLong(), g.files(), g.lateFiles(), Units.count(options.tables(), "table"), g.duplicateRows(),
                100.0 * g.duplicateRows() / g.rows(), g.dupBytes() / 1e6);
        out.printf(Locale.ROOT, "machine: %d cores, %.1f GiB, %s, DuckDB %s, memory_limit %s, threads %d%n",
                m.get("cores").asInt(), m.get("memory_bytes").asLong() / (double) (1L << 30), m.get("java").asText(),
                m.get("duckdb").asText(), m.get("default_memory_limit").asText(), m.get("default_threads").asInt());
        out.println();
        out.printf(Locale.ROOT, "%-34s %9s %12s %8s %11s %11s%n", "phase", "seconds", "rows/s", "cpu s",
                "peak RSS", "peak spill");
        String[][] labels = {
            {"floor", "floor: sorted COPY, no dedup"},
            {"floor_time_sort", "  same, sorted by time only"},
            {"floor_no_sort", "  same, no sort"},
            {"merge_dedup", "Kompactor merge, with duplicates"},
            {"merge_no_overlap", "Kompactor merge, no overlaps"},
            {"kompactor_e2e", "Kompactor end to end"},
            {"plan", "planning " + r.get("plan_files").asLong() + " files"}};
        for (String[] l : labels) {
            ObjectNode p = phases.get(l[0]);
            double s = p.get("seconds").asDouble();
            boolean data = !l[0].equals("plan");
            out.printf(Locale.ROOT, "%-34s %9.2f %12s %8.1f %11s %11s%n", l[1], s,
                    data ? String.format(Locale.ROOT, "%,d", Math.round(r.get("rows").asLong() / s)) : "-",
                    p.get("cpu_s").asDouble(), mib(p.get("peak_rss_bytes").asLong()),
                    p.has("peak_spill_bytes") ? mib(p.get("peak_spill_bytes").asLong()) : "-");
        }
        out.println();
        out.printf(Locale.ROOT, "window %d h: %s%n%n", options.windowHours(), Units.count(r.get("plans").asInt(), "plan"));
        out.printf(Locale.ROOT, "%-34s %12s %12s %5s%n", "target", "measured", "target", "met");
        JsonNode t = r.get("targets");
        row(t, "ratio", "end to end / floor throughput", "%.3f");
        row(t, "dedup_cost", "dedup_cost", "%.3f");
        out.printf(Locale.ROOT, "%-34s %12.3f %12s%n", "  same, by CPU seconds", r.get("ratio_cpu").asDouble(), "(info)");
        out.printf(Locale.ROOT, "%-34s %12.3f %12s%n", "  dedup_cost by CPU seconds", r.get("dedup_cost_cpu").asDouble(),
                "(info)");
        out.printf(Locale.ROOT, "%-34s %12s %12s %5s%n", "peak RSS, end to end",
                mib(t.get("peak_rss_bytes").get("value").asLong()), "<= 1536 MiB",
                t.get("peak_rss_bytes").get("met").asBoolean() ? "yes" : "NO");
        row(t, "plan_100k_files_s", "planning " + r.get("plan_files").asLong() + " files, s", "%.3f");
        row(t, "history_throughput_ratio", "later / earlier windows rows/s", "%.3f");
        out.printf(Locale.ROOT, "%nresult rows %,d = input %,d - duplicates %,d: %s%n", r.get("output_rows").asLong(),
                r.get("rows").asLong(), g.duplicateRows(), r.get("correct").asBoolean() ? "yes" : "NO");
        out.flush();
    }

    private void row(JsonNode t, String key, String label, String fmt) {
        JsonNode o = t.get(key);
        out.printf(Locale.ROOT, "%-34s %12s %12s %5s%n", label,
                String.format(Locale.ROOT, fmt, o.get("value").asDouble()), o.get("target").asText(),
                o.get("met").asBoolean() ? "yes" : "NO");
    }

    private static String mib(long bytes) {
        return bytes < 0 ? "n/a" : String.format(Locale.ROOT, "%,d MiB", bytes >> 20);
    }
}
