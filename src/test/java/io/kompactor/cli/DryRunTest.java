package io.kompactor.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kompactor.testing.DataDirAssertions;
import io.kompactor.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code compact --dry-run} predicts what the run does, plan by plan, with the merge's own split rule, and writes
 * nothing anywhere; {@code --verbose} says why each window left alone was left alone.
 */
class DryRunTest {
    @TempDir
    Path tmp;

    /**
     * 20KiB splits every window into a few slices that the snapshots' time ranges settle; 4KiB cuts slices narrower
     * than a file, so the dry run reads the time columns (in memory) to see which slices hold rows.
     */
    @ParameterizedTest(name = "{0} window {1}h target {2}")
    @CsvSource({"core-3.6,24,20KiB,false", "core-3.6,24,4KiB,true", "core-3.9,1,2KiB,true"})
    void predictsExactlyTheFilesTheRunWrites(String fixture, int window, String target, boolean readsData)
            throws Exception {
        Path data = Fixtures.copy(fixture, tmp.resolve("d"));
        Map<Path, String> before = DataDirAssertions.tree(tmp);
        String[] common = {"compact", data.toString(), "--window", "" + window, "--target-size", target, "--json"};
        CliRun dry = CliRun.of(concat(common, "--dry-run"));
        assertEquals(0, dry.exitCode(), dry::toString);
        DataDirAssertions.assertSameTree(before, DataDirAssertions.tree(tmp), "the dry run wrote something");

        JsonNode predicted = new ObjectMapper().readTree(dry.out());
        assertTrue(predicted.get("dry_run").asBoolean());
        assertEquals(readsData, predicted.get("notes").toString().contains("in-memory DuckDB"), predicted.get("notes")
                .toString());

        CliRun run = CliRun.of(common);
        assertEquals(0, run.exitCode(), run::toString);
        JsonNode actual = new ObjectMapper().readTree(run.out());

        Map<String, Integer> expected = new TreeMap<>();
        predicted.get("plans").forEach(p -> expected.put(key(p), p.get("predicted_outputs").asInt()));
        Map<String, Integer> written = new TreeMap<>();
        actual.get("plans").forEach(p -> written.put(key(p), p.get("outputs").size()));
        assertEquals(written, expected, "predicted outputs per plan");
        assertTrue(written.values().stream().anyMatch(n -> n > 1), "a split happened: " + written);
        assertEquals(actual.get("summary").get("files_after").asLong(), predicted.get("summary").get("files_after")
                .asLong());
        assertEquals(actual.get("summary").get("files_before").asLong(), predicted.get("summary").get("files_before")
                .asLong());
    }

    private static String key(JsonNode plan) {
        return plan.get("host").asText() + " " + plan.get("db_id") + "/" + plan.get("table_id") + " "
                + plan.get("window_start").asText();
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** Each plan names the policy that chose it and its window length, in the text lines and the JSON alike. */
    @Test
    void showsWhichPolicyAppliedToEachPlan() throws Exception {
        Path data = Fixtures.copy("core-3.6", tmp.resolve("p"));
        Map<Path, String> before = DataDirAssertions.tree(tmp);
        CliRun text = CliRun.of("compact", data.toString(), "--dry-run", "--policy", "0/1:window-hours=6");
        assertEquals(0, text.exitCode(), text::toString);
        List<String> plans = text.out().lines().filter(l -> l.contains("] plan ")).toList();
        assertEquals(4, plans.size(), text::toString);
        assertEquals(1, plans.stream().filter(l -> l.contains(" table 1 window ") && l.contains(" db 0 ")
                && l.contains("(6 h, policy cli-1)")).count(), text::toString);
        assertEquals(3, plans.stream().filter(l -> l.contains("(24 h, policy default)")).count(), text::toString);

        CliRun json = CliRun.of("compact", data.toString(), "--dry-run", "--json", "--window", "12",
                "--policy", "0/*:window-hours=2");
        assertEquals(0, json.exitCode(), json::toString);
        Map<String, String> byTable = new TreeMap<>();
        new ObjectMapper().readTree(json.out()).get("plans").forEach(p -> byTable.merge(
                p.get("db_id") + "/" + p.get("table_id"), p.get("policy").asText() + " " + p.get("window_hours").asInt()
                        + " " + p.get("kind").asText(), (a, b) -> a.equals(b) ? a : a + "|" + b));
        assertEquals(Map.of("0/0", "cli-1 2 full", "0/1", "cli-1 2 full", "1/0", "default 12 full",
                "1/1", "default 12 full"), byTable);
        DataDirAssertions.assertSameTree(before, DataDirAssertions.tree(tmp), "the dry runs wrote something");
    }

    @Test
    void verboseSaysWhyEachWindowWasLeftAlone() {
        Path data = Fixtures.copy("core-3.6", tmp.resolve("v"));
        CliRun few = CliRun.of("compact", data.toString(), "--dry-run", "--min-files", "100", "--verbose");
        assertEquals(0, few.exitCode(), few::toString);
        List<String> notes = few.out().lines().filter(l -> l.startsWith("note: ")).toList();
        assertEquals(4, notes.size(), few::toString);
        notes.forEach(n -> assertTrue(n.matches("note: node0: table \\d/\\d window 2025-01-26T00:00:00Z: \\d+ files, "
                + "fewer than --min-files 100, left alone"), n));
        assertTrue(few.out().contains("dry run: 0 plans"), few::toString);

        assertEquals(0, CliRun.of("compact", data.toString(), "-q").exitCode());
        CliRun done = CliRun.of("compact", data.toString(), "--dry-run", "-v");
        List<String> compacted = done.out().lines().filter(l -> l.startsWith("note: ")).toList();
        assertEquals(4, compacted.size(), done::toString);
        compacted.forEach(n -> assertTrue(n.endsWith(": one compacted file, nothing to merge"), n));
        CliRun terse = CliRun.of("compact", data.toString(), "--dry-run");
        assertTrue(terse.out().lines().noneMatch(l -> l.startsWith("note: ")), "notes only with --verbose: " + terse);
    }
}
