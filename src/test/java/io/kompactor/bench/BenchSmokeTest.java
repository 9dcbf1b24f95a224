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

/** The benchmark runs end to end on tiny sizes and reports every required key with sane values (no timing checks). */
class BenchSmokeTest {

    @Test
    void tinyBenchWritesCompleteJson(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("bench.json");
        StringWriter text = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new BenchCommand());
        cli.setOut(new PrintWriter(text, true));
        cli.setErr(new PrintWriter(err, true));
        int rc = cli.execute("--rows", "20000", "--files", "4", "--duplicates", "1",
                "--work-dir", tmp.resolve("work").toString(), "--out", out.toString(),
                "--plan-snapshots", "50", "--plan-files-per-snapshot", "4");
        assertEquals(0, rc, text + "\n" + err);

        JsonNode r = Json.readObject(out);
        for (String key : List.of("rows", "input_bytes", "floor_rows_per_s", "kompactor_rows_per_s", "ratio",
                "dedup_cost", "peak_rss_bytes", "plan_100k_files_s", "machine")) {
            assertTrue(r.has(key), "missing " + key + " in " + r);
        }
        assertEquals(20_000, r.get("rows").asLong());
        assertEquals(20_000, r.get("phases").get("floor").get("rows").asLong());
        assertEquals(20_000, r.get("phases").get("floor").get("output_rows").asLong());
        assertEquals(20_000, r.get("phases").get("kompactor_e2e").get("rows").asLong());
        assertEquals(20_000, r.get("phases").get("merge_no_overlap").get("output_rows").asLong());
        assertTrue(r.get("duplicate_rows").asLong() > 0);
        assertEquals(r.get("expected_output_rows").asLong(), r.get("output_rows").asLong());
        assertTrue(r.get("correct").asBoolean(), r.toString());
        assertTrue(r.get("input_bytes").asLong() > 0);
        assertTrue(r.get("ratio").asDouble() > 0);
        assertTrue(r.get("dedup_cost").asDouble() > 0);
        assertTrue(r.get("floor_rows_per_s").asLong() > 0);
        assertTrue(r.get("kompactor_rows_per_s").asLong() > 0);
        assertTrue(r.get("peak_rss_bytes").asLong() > 0);
        assertTrue(r.get("plan_100k_files_s").asDouble() > 0);
        assertEquals(200, r.get("plan_files").asLong());
        assertEquals(200, r.get("phases").get("plan").get("cold").get("files_planned").asLong());
        JsonNode m = r.get("machine");
        assertTrue(m.get("cores").asInt() > 0);
        assertTrue(m.get("memory_bytes").asLong() > 0);
        assertFalse(m.get("java").asText().isBlank());
        assertTrue(m.get("duckdb").asText().startsWith("v"), m.toString());
        assertTrue(text.toString().contains("end to end / floor"), text.toString());
        assertFalse(Files.exists(tmp.resolve("work").resolve("data")), "generated data is removed without --keep");
        for (String key : List.of("floor_time_sort_s", "floor_no_sort_s", "window24_ratio")) {
            assertTrue(r.get(key).asDouble() > 0, key + " in " + r);
        }
        assertEquals(24, r.get("window_hours").asInt());
        assertEquals(20_000, r.get("phases").get("floor_no_sort").get("output_rows").asLong());
        assertEquals(20_000, r.get("phases").get("floor_time_sort").get("output_rows").asLong());
    }

    /** {@code --window 1}: one plan per hour of data, still every row accounted for. */
    @Test
    void windowOneMakesHourlyPlans(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("bench.json");
        StringWriter text = new StringWriter();
        CommandLine cli = new CommandLine(new BenchCommand());
        cli.setOut(new PrintWriter(text, true));
        // 24 on-time files of 10 minutes plus late ones: four hours, so four hourly plans.
        int rc = cli.execute("--rows", "30000", "--files", "26", "--window", "1", "--in-process",
                "--work-dir", tmp.resolve("work").toString(), "--out", out.toString(),
                "--plan-snapshots", "10", "--plan-files-per-snapshot", "2");
        assertEquals(0, rc, text.toString());
        JsonNode r = Json.readObject(out);
        assertEquals(1, r.get("window_hours").asInt());
        assertTrue(r.get("plans").asInt() >= 4, r.toString());
        assertTrue(r.get("window1_ratio").asDouble() > 0, r.toString());
        assertTrue(r.get("correct").asBoolean(), r.toString());
    }

    /** {@code --keep} keeps the generated data (as the run left it) and a log of every phase that says what it did. */
    @Test
    void keepKeepsDataAndLogs(@TempDir Path tmp) throws Exception {
        Path work = tmp.resolve("work");
        StringWriter text = new StringWriter();
        CommandLine cli = new CommandLine(new BenchCommand());
        cli.setOut(new PrintWriter(text, true));
        int rc = cli.execute("--rows", "20000", "--files", "4", "--work-dir", work.toString(), "--keep",
                "--plan-snapshots", "10", "--plan-files-per-snapshot", "2");
        assertEquals(0, rc, text.toString());
        assertTrue(text.toString().contains("kept " + work.toAbsolutePath()), text.toString());
        try (var files = Files.walk(work.resolve("data"))) {
            List<Path> parquet = files.filter(f -> f.toString().endsWith(".parquet")).toList();
            assertTrue(parquet.stream().anyMatch(f -> f.getFileName().toString().startsWith("kompacted-")),
                    "the data dir as the end-to-end phase compacted it: " + parquet);
        }
        for (String phase : List.of("floor", "merge_dedup", "merge_no_overlap", "kompactor_e2e", "plan")) {
            String log = Files.readString(work.resolve(phase + ".log"));
            assertTrue(log.contains("bench phase ") && log.contains("result: {"), phase + ".log: " + log);
            assertTrue(Files.exists(work.resolve(phase + ".result.json")), phase);
        }
    }
}
