package io.kompactor.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * {@code kompactor bench --idle} (README, "Continuous benchmark"): the daemon at rest beside a year of history. A data dir of
 * {@code snapshots} snapshot files, every day already compacted ({@link PlanningMetadata#writeCompacted}), so there
 * is nothing to compact; the real daemon ({@link BenchDaemon}, with every setting at its default and the system
 * clock) starts on it in a JVM of its own. Measured: CPU seconds of that JVM from its start until the start-up
 * catch-up is done (the first moment the daemon is quiet, {@code BenchDaemon}'s {@code sync}: the catch-up's
 * planning pass finished and nothing pending), then its CPU over {@code idleSeconds} of doing nothing, as a share
 * of one core, and its RSS at the end.
 */
final class IdleBench {
    record Options(int snapshots, int idleSeconds, Path workDir, boolean keep) {
    }

    public static final double TARGET_STARTUP_CPU_S = 20;
    public static final double TARGET_IDLE_CPU_PCT = 2;
    public static final long TARGET_IDLE_RSS = 512L << 20;

    private final Options options;
    private final PrintWriter out;

    IdleBench(Options options, PrintWriter out) {
        this.options = options;
        this.out = out;
    }

    ObjectNode run() throws Exception {
        return WorkDir.run(options.workDir(), options.keep(), "kompactor-idle-", out, this::run);
    }

    private ObjectNode run(Path work) throws Exception {
        Path data = work.resolve("data");
        long t0 = System.nanoTime();
        PlanningMetadata.writeCompacted(data, options.snapshots());
        out.printf(Locale.ROOT, "kompactor bench --idle in %s%nwrote %,d snapshots (every day compacted, nothing to "
                + "compact) in %.1f s%n", work, options.snapshots(), (System.nanoTime() - t0) / 1e9);
        out.flush();
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("kompactor.data-dir", data.toString());
        settings.put("camel.management.port", Integer.toString(ContinuousBench.freePort()));
        ObjectNode r = BenchPhase.obj();
        long start = System.nanoTime();
        try (DaemonProcess d = DaemonProcess.start(work, settings, work.resolve("daemon.log"))) {
            DaemonProcess.Sync sync = d.sync(900);
            double startupCpu = d.cpuSeconds();
            double startupS = (System.nanoTime() - start) / 1e9;
            long rssAfterCatchUp = d.rssBytes();
            out.printf(Locale.ROOT, "start-up and catch-up: %.1f CPU-s, %.1f s; idling %d s ...%n", startupCpu, startupS,
                    options.idleSeconds());
            out.flush();
            double c0 = d.cpuSeconds();
            long i0 = System.nanoTime();
            Thread.sleep(options.idleSeconds() * 1000L);
            double idleCpu = d.cpuSeconds() - c0;
            double idleS = (System.nanoTime() - i0) / 1e9;
            long idleRss = d.rssBytes();
            long peak = d.peakRssBytes();
            DaemonProcess.Sync end = d.sync(60);
            d.stop();
            r.put("mode", "idle");
            r.put("snapshots", options.snapshots());
            r.put("startup_quiet", sync.quiet());
            r.put("startup_cpu_s", BenchPhase.round(startupCpu));
            r.put("startup_seconds", BenchPhase.round(startupS));
            r.put("rss_after_catch_up_bytes", rssAfterCatchUp);
            r.put("idle_seconds", BenchPhase.round(idleS));
            r.put("idle_cpu_s", BenchPhase.round(idleCpu));
            r.put("idle_cpu_pct_of_core", BenchPhase.round(100 * idleCpu / idleS));
            r.put("idle_rss_bytes", idleRss);
            r.put("peak_rss_bytes", peak);
            r.put("plans", end.status().path("plans_planned").asLong());
            r.put("plan_passes", end.status().path("plan_passes").asLong());
            r.put("failures", end.status().path("failures").asLong());
        }
        r.set("machine", Bench.machine());
        ObjectNode t = r.putObject("targets");
        Bench.target(t, "startup_cpu_s", r.get("startup_cpu_s").asDouble(), "<=", TARGET_STARTUP_CPU_S);
        Bench.target(t, "idle_cpu_pct_of_core", r.get("idle_cpu_pct_of_core").asDouble(), "<=", TARGET_IDLE_CPU_PCT);
        Bench.target(t, "idle_rss_bytes", r.get("idle_rss_bytes").asDouble(), "<=", TARGET_IDLE_RSS);
        out.println();
        out.printf(Locale.ROOT, "%-40s %12s %12s %5s%n", "daemon at rest, " + options.snapshots() + " snapshots",
                "measured", "target", "met");
        out.printf(Locale.ROOT, "%-40s %12.1f %12s %5s%n", "start-up + catch-up, CPU-s", r.get("startup_cpu_s").asDouble(),
                "<= 20", met(t, "startup_cpu_s"));
        out.printf(Locale.ROOT, "%-40s %12.2f %12s %5s%n", "idle CPU, % of a core", r.get("idle_cpu_pct_of_core").asDouble(),
                "<= 2", met(t, "idle_cpu_pct_of_core"));
        out.printf(Locale.ROOT, "%-40s %12s %12s %5s%n", "idle RSS", String.format(Locale.ROOT, "%,d MiB",
                r.get("idle_rss_bytes").asLong() >> 20), "<= 512 MiB", met(t, "idle_rss_bytes"));
        out.flush();
        return r;
    }

    private static String met(ObjectNode t, String key) {
        return t.get(key).get("met").asBoolean() ? "yes" : "NO";
    }

}
