package io.kompactor.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.kompactor.cli.BenchCommand;
import io.kompactor.snapshot.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code bench --continuous} and {@code bench --idle} run end to end on tiny sizes, with the real daemon in a JVM of
 * its own, and report every required key with values that follow from the scenario (no timing checks: speed is the
 * benchmark's business, not a test's).
 */
class DaemonBenchSmokeTest {

    private static int bench(StringWriter text, String... args) {
        CommandLine cli = new CommandLine(new BenchCommand());
        cli.setOut(new PrintWriter(text, true));
        cli.setErr(new PrintWriter(text, true));
        return cli.execute(args);
    }

    /**
     * Six hours of writes in hourly windows, late files up to 2 h late: the daemon compacts every window, a restarted
     * server returns exactly the rows written, and the bytes Kompactor wrote are counted against the server's.
     */
    @Test
    void continuousReportsWhatTheIssueAsksFor(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("c.json");
        StringWriter text = new StringWriter();
        int rc = bench(text, "--continuous", "--days", "0.25", "--rows-per-day", "14400", "--late-share", "0.3",
                "--max-late", "2h", "--set", "kompactor.window-hours=1", "--set", "kompactor.settle=10m",
                "--set", "kompactor.late.max-wait=20m", "--work-dir", tmp.resolve("work").toString(),
                "--out", out.toString());
        assertEquals(0, rc, text.toString());

        JsonNode r = Json.readObject(out);
        for (String key : List.of("write_amplification", "cpu_s_per_gb", "max_files_per_settled_window",
                "max_settle_to_compacted_s", "peak_rss_bytes", "results_equal", "machine", "kompactor_metadata_bytes",
                "backup_bytes", "peak_spill_bytes")) {
            assertTrue(r.has(key), "missing " + key + " in " + r);
        }
        assertTrue(r.get("results_equal").asBoolean(), r.get("results").toString() + "\n" + text);
        assertEquals(r.get("results").get("expected_rows").asLong(), r.get("results").get("returned_rows").asLong());
        assertTrue(r.get("late_files").asInt() > 0, r.toString());
        assertTrue(r.get("full_merges").asInt() >= 6, "every hourly window of the six measured ones is merged: " + r);
        assertTrue(r.get("write_amplification").asDouble() >= 0.5, "the compacted files hold the rows written: " + r);
        assertTrue(r.get("max_files_per_settled_window").asInt() >= 1, r.toString());
        assertTrue(r.get("peak_rss_bytes").asLong() > 0, r.toString());
        assertTrue(r.get("cpu_s_per_gb").asDouble() > 0, r.toString());
        assertEquals(0, r.get("failures").asInt(), r.toString());
        assertEquals(0, r.get("sync_timeouts").asInt(), text.toString());
        assertEquals("1", r.get("daemon_settings").get("kompactor.window-hours").asText());
        assertTrue(r.get("machine").get("cores").asInt() > 0);
        assertTrue(text.toString().contains("write amplification"), text.toString());
        assertFalse(Files.exists(tmp.resolve("work").resolve("data")), "generated data is removed without --keep");
    }

    /** A bad option is one line naming it, exit 2, before any data or JVM is made. */
    @Test
    void badOptionsAreNamed(@TempDir Path tmp) {
        for (String[] c : List.of(new String[]{"--days", "0", "--days:"}, new String[]{"--rows-per-day", "5", "--rows-per-day:"},
                new String[]{"--late-share", "1", "--late-share:"}, new String[]{"--max-late", "5x", "--max-late:"},
                new String[]{"--set", "kompactor.late.max-wiat=1h", "did you mean kompactor.late.max-wait"})) {
            io.kompactor.cli.CliRun run = io.kompactor.cli.CliRun.of("bench", "--continuous", c[0], c[1], "--work-dir",
                    tmp.resolve("w").toString());
            assertEquals(2, run.exitCode(), run::toString);
            assertEquals(1, run.err().lines().filter(l -> l.startsWith("error: ")).count(), run::toString);
            assertTrue(run.err().contains(c[2]), run::toString);
            assertFalse(Files.exists(tmp.resolve("w").resolve("data")), "nothing was made for " + c[0]);
        }
    }

    /** The daemon at rest: it starts on compacted history, finds nothing to plan, and its idle numbers are reported. */
    @Test
    void idleReportsStartUpAndRest(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("i.json");
        StringWriter text = new StringWriter();
        int rc = bench(text, "--idle", "--snapshots", "600", "--idle-seconds", "2",
                "--work-dir", tmp.resolve("work").toString(), "--keep", "--out", out.toString());
        assertEquals(0, rc, text.toString());

        JsonNode r = Json.readObject(out);
        for (String key : List.of("startup_cpu_s", "idle_cpu_pct_of_core", "idle_rss_bytes", "peak_rss_bytes",
                "machine", "targets")) {
            assertTrue(r.has(key), "missing " + key + " in " + r);
        }
        assertTrue(r.get("startup_quiet").asBoolean(), r.toString());
        assertEquals(600, r.get("snapshots").asInt());
        assertEquals(0, r.get("plans").asLong(), "compacted history leaves nothing to plan: " + r);
        assertEquals(0, r.get("failures").asLong(), r.toString());
        assertTrue(r.get("idle_rss_bytes").asLong() > 0 && r.get("startup_cpu_s").asDouble() > 0, r.toString());
        try (var s = Files.list(tmp.resolve("work").resolve("data").resolve(BenchData.HOST).resolve("snapshots"))) {
            assertEquals(600, s.count(), "--keep keeps the data dir, and the daemon left the snapshots as they were");
        }
        assertTrue(Files.exists(tmp.resolve("work").resolve("daemon.log")), "--keep keeps the daemon's log");
    }
}
