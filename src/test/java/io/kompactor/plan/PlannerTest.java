package io.kompactor.plan;

import io.kompactor.simulator.FoldRule;
import io.kompactor.simulator.LoadOptions;
import io.kompactor.simulator.RestartLoader;
import io.kompactor.snapshot.ParquetFileEntry;
import io.kompactor.snapshot.TableKey;
import io.kompactor.testing.MetadataFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static io.kompactor.testing.MetadataFiles.entry;
import static io.kompactor.testing.MetadataFiles.ns;
import static io.kompactor.testing.MetadataFiles.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The planner's rules, each on a handful of metadata files (no parquet, no DuckDB): which windows become plans, which
 * files are left alone, where outputs go and in which order inputs are merged (docs/architecture.md, "The pipeline";
 * docs/format.md, "How a restarting server loads files").
 */
class PlannerTest {
    private static final String HOST = "node0";
    private static final TableKey CPU = new TableKey(0, 1);
    private static final Instant MTIME = Instant.parse("2025-01-20T00:00:00Z");
    private static final long GIB = 1L << 30;

    @TempDir
    Path tmp;

    private MetadataFiles files() {
        return new MetadataFiles(tmp.resolve("data"), HOST);
    }

    /** A 3.6+ id path of table 0/1 for a file whose gen1 bucket starts at {@code chunk}. */
    private static String idPath(String chunk, long walSeq) {
        String day = chunk.substring(0, 10);
        String hm = chunk.substring(11, 13) + "-" + chunk.substring(14, 16);
        return HOST + "/dbs/0/1/" + day + "/" + hm + "/" + String.format("%010d", walSeq) + ".parquet";
    }

    private static ParquetFileEntry file(long id, String chunk) {
        return entry(id, idPath(chunk, id), ns(chunk));
    }

    private static Planner planner(int windowHours, int minFiles, Duration settle, int loadedSnapshots, String now) {
        return new Planner(new PlannerOptions(windowHours, minFiles, settle, GIB, loadedSnapshots),
                Clock.fixed(Instant.parse(now), ZoneOffset.UTC));
    }

    private static Planner settled(int windowHours, int minFiles) {
        return planner(windowHours, minFiles, Duration.ZERO, 0, "2026-01-01T00:00:00Z");
    }

    private static List<Long> ids(CompactionPlan p) {
        return p.inputs().stream().map(i -> i.entry().id()).toList();
    }

    // ------------------------------------------------------------------------------------------------ settle

    @Test
    void aWindowEndingWithinTheSettleTimeIsLeftForLater() {
        MetadataFiles m = files();
        m.snapshot(1, MTIME, of(CPU, file(1, "2025-01-09T10:00:00Z"), file(2, "2025-01-09T20:00:00Z")));
        // the window [01-09, 01-10) ended 30 minutes ago; the settle time is an hour
        HostPlan hp = planner(24, 2, Duration.ofHours(1), 0, "2025-01-10T00:30:00Z").plan(m.load());
        assertTrue(hp.plans().isEmpty(), hp.plans().toString());
        assertTrue(hp.notes().stream().anyMatch(n -> n.contains("not settled")), hp.notes().toString());
    }

    @Test
    void aWindowThatEndedExactlyTheSettleTimeAgoIsPlanned() {
        MetadataFiles m = files();
        m.snapshot(1, MTIME, of(CPU, file(1, "2025-01-09T10:00:00Z"), file(2, "2025-01-09T20:00:00Z")));
        HostPlan hp = planner(24, 2, Duration.ofHours(1), 0, "2025-01-10T01:00:00Z").plan(m.load());
        assertEquals(1, hp.plans().size());
        assertEquals(ns("2025-01-09T00:00:00Z"), hp.plans().get(0).windowStart());
        assertEquals(ns("2025-01-10T00:00:00Z"), hp.plans().get(0).windowEnd());
    }

    // ------------------------------------------------------------------------------------------------ min-files

    @Test
    void aWindowWithFewerFilesThanMinFilesIsLeftAlone() {
        MetadataFiles m = files();
        m.snapshot(1, MTIME, of(CPU, file(1, "2025-01-05T00:10:00Z"), file(2, "2025-01-05T00:20:00Z")));
        assertTrue(settled(24, 3).plan(m.load()).plans().isEmpty());
        HostPlan two = settled(24, 2).plan(m.load());
        assertEquals(1, two.plans().size());
        assertEquals(List.of(1L, 2L), ids(two.plans().get(0)));
    }

    // ------------------------------------------------------------------------------------------------ windows

    /**
     * Windows are aligned to UTC midnight: a file belongs to the window that contains its chunk_time, and a window of
     * 48 h starts on a midnight too (every other day counted from the epoch).
     */
    @ParameterizedTest(name = "{0} h")
    @CsvSource(delimiter = '|', value = {
        "1  | 2025-01-05T23:00:00Z 2025-01-06T00:00:00Z 2025-01-06T05:00:00Z 2025-01-06T06:00:00Z 2025-01-07T00:00:00Z",
        "6  | 2025-01-05T18:00:00Z 2025-01-06T00:00:00Z 2025-01-06T06:00:00Z 2025-01-07T00:00:00Z",
        "24 | 2025-01-05T00:00:00Z 2025-01-06T00:00:00Z 2025-01-07T00:00:00Z",
        "48 | 2025-01-04T00:00:00Z 2025-01-06T00:00:00Z"})
    void windowsAreAlignedToUtcMidnight(int hours, String starts) {
        MetadataFiles m = files();
        m.snapshot(1, MTIME, of(CPU,
                file(1, "2025-01-05T23:50:00Z"),
                file(2, "2025-01-06T00:00:00Z"),
                file(3, "2025-01-06T05:50:00Z"),
                file(4, "2025-01-06T06:10:00Z"),
                file(5, "2025-01-07T00:10:00Z")));
        // min-files 1: every window with a file of the server's becomes a plan, so each window shows up
        HostPlan hp = settled(hours, 1).plan(m.load());
        List<Long> expected = Arrays.stream(starts.split(" ")).map(MetadataFiles::ns).toList();
        assertEquals(expected, hp.plans().stream().map(CompactionPlan::windowStart).toList());
        for (CompactionPlan p : hp.plans()) {
            assertEquals(hours * 3_600_000_000_000L, p.windowEnd() - p.windowStart());
            for (PlanInput in : p.inputs()) {
                long chunk = in.entry().chunkTime();
                assertTrue(chunk >= p.windowStart() && chunk < p.windowEnd(), in + " in " + p.label());
            }
        }
        assertEquals(5, hp.plans().stream().mapToInt(p -> p.inputs().size()).sum());
    }

    @Test
    void filesEitherSideOfMidnightAreInDifferentWindows() {
        MetadataFiles m = files();
        m.snapshot(1, MTIME, of(CPU, file(1, "2025-01-05T23:50:00Z"), file(2, "2025-01-06T00:00:00Z")));
        assertTrue(settled(24, 2).plan(m.load()).plans().isEmpty(), "one file in each day's window");
        // 48 h windows start on even epoch days: [01-04, 01-06) and [01-06, 01-08)
        assertTrue(settled(48, 2).plan(m.load()).plans().isEmpty(), "one file in each 48 h window");
    }

    @Test
    void aFortyEightHourWindowSpansTheMidnightInsideIt() {
        MetadataFiles m = files();
        m.snapshot(1, MTIME, of(CPU, file(1, "2025-01-06T23:50:00Z"), file(2, "2025-01-07T00:10:00Z")));
        assertTrue(settled(24, 2).plan(m.load()).plans().isEmpty());
        HostPlan hp = settled(48, 2).plan(m.load());
        assertEquals(1, hp.plans().size());
        assertEquals(ns("2025-01-06T00:00:00Z"), hp.plans().get(0).windowStart());
        assertEquals(ns("2025-01-08T00:00:00Z"), hp.plans().get(0).windowEnd());
        assertEquals(HOST + "/dbs/0/1/2025-01-06/00-00", hp.plans().get(0).outputDir());
    }

    // ------------------------------------------------------------------------------------------------ compacted files

    @Test
    void aLoneCompactedFileIsNotPlannedAgain() {
        MetadataFiles m = files();
        long id = 1L << 62;
        String path = HOST + "/dbs/0/1/2025-01-05/00-00/" + CompactedName.format(7, id);
        m.snapshot(8, MTIME, of(CPU, entry(id, path, ns("2025-01-05T00:00:00Z"))));
        assertTrue(settled(24, 1).plan(m.load()).plans().isEmpty(), "even with --min-files 1");
    }

    @Test
    void aCompactedFilePlusOneLateFileIsPlanned() {
        MetadataFiles m = files();
        long id = 1L << 62;
        String path = HOST + "/dbs/0/1/2025-01-05/00-00/" + CompactedName.format(7, id);
        m.snapshot(8, MTIME, of(CPU, entry(id, path, ns("2025-01-05T00:00:00Z"))));
        m.snapshot(9, MTIME, of(CPU, file(12, "2025-01-05T13:00:00Z")));
        HostPlan hp = settled(24, 2).plan(m.load());
        assertEquals(1, hp.plans().size());
        CompactionPlan p = hp.plans().get(0);
        assertEquals(List.of(id, 12L), ids(p));
        assertTrue(p.inputs().get(0).compacted());
        assertEquals(7, p.inputs().get(0).writeOrder(), "the write order recorded in the name");
        assertFalse(p.inputs().get(1).compacted());
        assertEquals(12, p.newestWriteOrder());
    }

    // ------------------------------------------------------------------------------------------------ what the server would not load

    @Test
    void filesMarkedRemovedAreLeftAlone() {
        MetadataFiles m = files();
        ParquetFileEntry a = file(1, "2025-01-05T00:10:00Z");
        ParquetFileEntry b = file(2, "2025-01-05T00:20:00Z");
        ParquetFileEntry c = file(3, "2025-01-05T00:30:00Z");
        m.snapshot(1, MTIME, of(CPU, a, b, c));
        m.snapshot(2, MTIME, Map.of(), of(CPU, a));
        HostPlan hp = settled(24, 2).plan(m.load());
        assertEquals(1, hp.plans().size());
        assertEquals(List.of(2L, 3L), ids(hp.plans().get(0)));
        assertTrue(hp.notes().stream().anyMatch(n -> n.contains("marked removed")), hp.notes().toString());
        // with only the removed file and one other, nothing is left to compact
        assertTrue(settled(24, 3).plan(m.load()).plans().isEmpty());
    }

    @Test
    void filesOnlyInSnapshotsOlderThanTheServersWindowAreLeftAlone() {
        MetadataFiles m = files();
        for (int seq = 1; seq <= 5; seq++) {
            m.snapshot(seq, MTIME, of(CPU, file(seq, "2025-01-05T0" + seq + ":00:00Z")));
        }
        // the server loads the 3 newest snapshots (seq 3, 4, 5)
        HostPlan hp = planner(24, 2, Duration.ZERO, 3, "2026-01-01T00:00:00Z").plan(m.load());
        assertEquals(1, hp.plans().size());
        assertEquals(List.of(3L, 4L, 5L), ids(hp.plans().get(0)));
        assertEquals(3, hp.view().loadedSnapshots());
        assertTrue(hp.notes().stream().anyMatch(n -> n.contains("2 older snapshots")), hp.notes().toString());
    }

    @Test
    void filesOnlyACheckpointListsArePlanned() {
        MetadataFiles m = files();
        // snapshots 1 and 2 are gone; the checkpoint of January still lists their files
        m.checkpoint("2025-01", 2, of(CPU, file(1, "2025-01-05T01:00:00Z"), file(2, "2025-01-05T02:00:00Z")));
        m.snapshot(3, MTIME, of(CPU, file(3, "2025-01-05T03:00:00Z")));
        HostPlan hp = settled(24, 2).plan(m.load());
        assertEquals(1, hp.plans().size());
        assertEquals(List.of(1L, 2L, 3L), ids(hp.plans().get(0)));
    }

    /**
     * A restart keeps a month's checkpoint only when its sequence, or the next month's, reaches the cutoff (latest
     * snapshot - N): {@code list_latest_checkpoints_per_month} (docs/format.md, "How a restarting server loads files").
     * Here N = 15 and the newest snapshot is 40, so the cutoff is 25: November (10) is dropped, because December (20)
     * does not reach it either. A file only November's checkpoint lists is not loaded, so it must not be planned: the
     * output would go to December's side of the window and make its rows visible again.
     */
    @Test
    void aFileOnlyInAMonthsCheckpointTheRestartDropsIsLeftAlone() {
        MetadataFiles m = files();
        m.checkpoint("2024-11", 10, of(CPU, file(10, "2025-01-05T01:00:00Z")));
        m.checkpoint("2024-12", 20, of(CPU, file(20, "2025-01-05T02:00:00Z")));
        m.checkpoint("2025-01", 30, of(CPU, file(30, "2025-01-05T03:00:00Z")));
        for (long seq = 31; seq <= 40; seq++) {
            m.snapshot(seq, MTIME, of(CPU, file(seq, "2025-01-06T00:" + (seq - 20) + ":00Z")));
        }
        HostPlan hp = planner(24, 2, Duration.ZERO, 15, "2026-01-01T00:00:00Z").plan(m.load());
        CompactionPlan jan5 = hp.plans().stream().filter(p -> p.windowStart() == ns("2025-01-05T00:00:00Z"))
                .findFirst().orElseThrow();
        assertFalse(serverLoads(m, 15).contains(10L), "the simulator's restart drops November too");
        assertEquals(List.of(20L, 30L), ids(jan5), "file 10 is listed only by the dropped November checkpoint");
    }

    /**
     * When no month's checkpoint reaches the cutoff the server does not load checkpoints at all: it loads the N newest
     * snapshots (docs/format.md, "How a restarting server loads files"). Here the only checkpoint ends at 5, the newest
     * snapshot is 20 and N = 10, so the cutoff is 10 and only snapshots 11..20 are loaded.
     */
    @Test
    void checkpointsThatAllEndBeforeTheCutoffAreNotLoaded() {
        MetadataFiles m = files();
        m.checkpoint("2024-12", 5, of(CPU, file(5, "2025-01-05T00:05:00Z")));
        List<Long> loaded = new ArrayList<>();
        for (long seq = 6; seq <= 20; seq++) {
            m.snapshot(seq, MTIME, of(CPU, file(seq, "2025-01-05T00:" + (seq + 10) + ":00Z")));
            if (seq > 10) {
                loaded.add(seq);
            }
        }
        HostPlan hp = planner(24, 2, Duration.ZERO, 10, "2026-01-01T00:00:00Z").plan(m.load());
        assertEquals(1, hp.plans().size());
        assertFalse(serverLoads(m, 10).contains(5L), "the simulator's restart takes the snapshot path too");
        assertEquals(loaded, ids(hp.plans().get(0)), "the server loads snapshots 11..20 only");
    }

    /** File ids the project's model of a restarting server (the simulator's restart loader) lists, with N given. */
    private static java.util.Set<Long> serverLoads(MetadataFiles m, int n) {
        return RestartLoader.load(m.dataDir(), HOST, new LoadOptions(n, FoldRule.SERVER)).files().allFiles().stream()
                .map(io.kompactor.simulator.ParquetFile::id).collect(java.util.stream.Collectors.toSet());
    }

    // ------------------------------------------------------------------------------------------------ outputs and order

    @Test
    void outputsGoUnderTheIdPathOfTheTableFor36AndLater() {
        MetadataFiles m = files();
        m.snapshot(1, MTIME, of(CPU, file(1, "2025-01-05T06:10:00Z"), file(2, "2025-01-05T07:20:00Z")));
        CompactionPlan daily = settled(24, 2).plan(m.load()).plans().get(0);
        assertEquals(HOST + "/dbs/0/1/2025-01-05/00-00", daily.outputDir());
        assertEquals(null, daily.tableName(), "id paths carry no names");
        CompactionPlan sixHours = settled(6, 2).plan(m.load()).plans().get(0);
        assertEquals(HOST + "/dbs/0/1/2025-01-05/06-00", sixHours.outputDir());
    }

    @Test
    void outputsGoUnderTheNamePathOfTheTableBefore36() {
        MetadataFiles m = files();
        String dir = HOST + "/dbs/my-db-0/cpu-1/2025-01-05/";
        m.snapshot(1, MTIME, of(CPU, entry(1, dir + "06-10/0000000001.parquet", ns("2025-01-05T06:10:00Z")),
                entry(2, dir + "07-20/0000000002.parquet", ns("2025-01-05T07:20:00Z"))));
        CompactionPlan p = settled(24, 2).plan(m.load()).plans().get(0);
        assertEquals(HOST + "/dbs/my-db-0/cpu-1/2025-01-05/00-00", p.outputDir());
        assertEquals("my-db/cpu", p.tableName());
    }

    @Test
    void whenSchemesDifferTheNewestInputsSchemeWins() {
        MetadataFiles m = files();
        // written by 3.5 (names), then by 3.6 after an upgrade (ids)
        m.snapshot(1, MTIME, of(CPU, entry(1, HOST + "/dbs/db-0/cpu-1/2025-01-05/06-10/0000000001.parquet",
                ns("2025-01-05T06:10:00Z"))));
        m.snapshot(2, MTIME, of(CPU, file(2, "2025-01-05T07:20:00Z")));
        assertEquals(HOST + "/dbs/0/1/2025-01-05/00-00", settled(24, 2).plan(m.load()).plans().get(0).outputDir());
    }

    @Test
    void inputsAreInWriteOrderWhateverTheListingOrder() {
        MetadataFiles m = files();
        long compactedId = (1L << 62) + 5;
        String compacted = HOST + "/dbs/0/1/2025-01-05/00-00/" + CompactedName.format(25, compactedId);
        // a table's files are listed in completion order, not id order; the compacted file holds data up to id 25
        m.snapshot(40, MTIME, of(CPU, file(30, "2025-01-05T03:00:00Z"), file(10, "2025-01-05T01:00:00Z"),
                entry(compactedId, compacted, ns("2025-01-05T00:00:00Z")), file(20, "2025-01-05T02:00:00Z")));
        CompactionPlan p = settled(24, 2).plan(m.load()).plans().get(0);
        assertEquals(List.of(10L, 20L, compactedId, 30L), ids(p));
        assertEquals(List.of(10L, 20L, 25L, 30L), p.inputs().stream().map(PlanInput::writeOrder).toList());
        assertEquals(30, p.newestWriteOrder());
    }
}
