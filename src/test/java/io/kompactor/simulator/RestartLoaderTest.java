package io.kompactor.simulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kompactor.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import static io.kompactor.simulator.SimTesting.points;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The restart load (docs/format.md, "How a restarting server loads files") on the fixtures and on data dirs
 * built around its edge cases.
 */
class RestartLoaderTest {
    @TempDir
    Path tmp;

    @Test
    void everyFixtureLoadsWithItsErasWindow() {
        LoadedState alpha = RestartLoader.load(Fixtures.dataDir("alpha"), "my_host", LoadOptions.server());
        assertEquals(List.of(25, 1000, 11L, 25L), List.of(alpha.files().fileCount(), alpha.n(), alpha.latestSnapshotSeq(), alpha.nextFileId()));
        LoadedState v30 = RestartLoader.load(Fixtures.dataDir("core-3.0"), "node0", LoadOptions.server());
        assertEquals(List.of(61, 1000), List.of(v30.files().fileCount(), v30.n()));
        LoadedState v36 = RestartLoader.load(Fixtures.dataDir("core-3.6"), "node0", LoadOptions.server());
        assertEquals(List.of(110, 4383), List.of(v36.files().fileCount(), v36.n()));
        assertFalse(v36.fromCheckpoints());
        LoadedState none = RestartLoader.load(Fixtures.dataDir("core-3.6"), "node0", new LoadOptions(0, FoldRule.SERVER));
        assertEquals(List.of(0L, 23L), List.of((long) none.files().fileCount(), none.latestSnapshotSeq()),
                "N = 0 loses every file, not the sequence");

        LoadedState v39 = RestartLoader.load(Fixtures.dataDir("core-3.9"), "node0", LoadOptions.server());
        assertTrue(v39.fromCheckpoints());
        assertEquals(48, v39.files().fileCount());
        assertEquals(List.of(12L, 19L), List.of(v39.snapshots().get(v39.snapshots().size() - 1).snapshotSeq(),
                v39.snapshots().get(0).snapshotSeq()), "only the snapshots above the checkpoint, newest first");
        assertEquals(List.of(19L, 20L, 48L), List.of(v39.latestSnapshotSeq(), v39.walSeq(), v39.nextFileId()));
    }

    @Test
    void withoutCheckpointsTheServersNewestFirstFoldCannotRemove() throws IOException {
        Path dir = Fixtures.copy("core-3.6", tmp.resolve("d"));
        NodePaths node = new NodePaths(dir, "node0");
        ParquetFile first = SnapshotFiles.read(node.snapshot(0)).databases().files(new TableRef(0, 0)).get(0);
        removeInSnapshot(node, 23, new TableRef(0, 0), first);

        LoadedState server = RestartLoader.load(dir, "node0", LoadOptions.server());
        assertTrue(has(server, new TableRef(0, 0), first.id()), "fold: the removal runs before the file is added");
        LoadedState referee = RestartLoader.load(dir, "node0", LoadOptions.referee());
        assertFalse(has(referee, new TableRef(0, 0), first.id()));
        assertEquals(109, referee.files().fileCount());
    }

    @Test
    void afterCheckpointsRemovalsOfCheckpointedFilesWorkButNotOfOlderLoadedSnapshots() throws IOException {
        Path dir = Fixtures.copy("core-3.9", tmp.resolve("d"));
        NodePaths node = new NodePaths(dir, "node0");
        TableRef t = new TableRef(0, 0);
        ParquetFile checkpointed = SnapshotFiles.read(node.snapshot(0)).databases().files(t).get(0);
        ParquetFile inSnapshot12 = SnapshotFiles.read(node.snapshot(12)).databases().files(t).get(0);
        removeInSnapshot(node, 19, t, checkpointed);
        removeInSnapshot(node, 19, t, inSnapshot12);

        LoadedState server = RestartLoader.load(dir, "node0", LoadOptions.server());
        assertFalse(has(server, t, checkpointed.id()));
        assertTrue(has(server, t, inSnapshot12.id()), "snapshot 12 is folded after snapshot 19 removed from it");
        assertFalse(has(RestartLoader.load(dir, "node0", LoadOptions.referee()), t, inSnapshot12.id()));
    }

    @Test
    void overlapFilterKeepsAMonthWhenItOrTheNextMonthReachesTheCutoff() {
        List<CheckpointRef> months = List.of(ref("2025-01", 10), ref("2025-02", 20), ref("2025-03", 30));
        assertEquals(List.of("2025-01", "2025-02", "2025-03"), keptMonths(months, 0));
        assertEquals(List.of("2025-01", "2025-02", "2025-03"), keptMonths(months, 15));
        assertEquals(List.of("2025-01", "2025-02", "2025-03"), keptMonths(months, 20));
        assertEquals(List.of("2025-02", "2025-03"), keptMonths(months, 21));
        assertEquals(List.of("2025-02", "2025-03"), keptMonths(months, 30));
        assertEquals(List.of(), keptMonths(months, 31));
        assertEquals(0, CheckpointFilter.cutoff(5, 10), "unsigned: never below 0");
        assertEquals(15, CheckpointFilter.cutoff(40, 25));
    }

    @Test
    void overlapFilterDecidesWhatARestartLoads() throws IOException {
        Path dir = tmp.resolve("d");
        SimClock clock = new SimClock(Instant.parse("2025-01-30T23:00:00Z"));
        List<Instant> at = Stream.of("2025-01-30T23:00:00Z", "2025-01-31T10:00:00Z", "2025-02-10T00:00:00Z",
                "2025-02-11T00:00:00Z", "2025-03-05T00:00:00Z", "2025-03-06T00:00:00Z").map(Instant::parse).toList();
        try (InfluxDb3Simulator sim = InfluxDb3Simulator.start(dir,
                SimTesting.options().checkpointInterval(Duration.ofMinutes(1)).build(), clock)) {
            for (Instant t : at) {
                clock.set(t);
                sim.write("db0", "cpu", points(t, 1, "a", 1));
                sim.persistSnapshot();
            }
        }
        // Latest per month: January seq 1, February seq 3, March seq 5; the newest snapshot is seq 5.
        assertEquals(List.of(4, 6), List.of(load(dir, 1).files().fileCount(), load(dir, 3).files().fileCount()),
                "N=1: cutoff 4 drops January (February's 3 < 4); N=3: cutoff 2 keeps it (February's 3 >= 2)");
        assertEquals(List.of(YearMonth.of(2025, 2), YearMonth.of(2025, 3)),
                load(dir, 1).checkpoints().stream().map(CheckpointDoc::month).toList());

        deleteTree(dir.resolve("node0/snapshot-checkpoints/2025-03"));
        LoadedState noneKept = load(dir, 1);
        assertFalse(noneKept.fromCheckpoints(), "February's 3 < cutoff 4 and no later month: snapshot path");
        assertEquals(List.of(5L), noneKept.snapshots().stream().map(SnapshotDoc::snapshotSeq).toList());
        assertEquals(1, noneKept.files().fileCount());
    }

    private static LoadedState load(Path dir, int n) {
        return RestartLoader.load(dir, "node0", new LoadOptions(n, FoldRule.SERVER));
    }

    private static CheckpointRef ref(String month, long seq) {
        return new CheckpointRef(YearMonth.parse(month), seq, Path.of(month));
    }

    private static List<String> keptMonths(List<CheckpointRef> months, long cutoff) {
        return CheckpointFilter.keep(months, cutoff).stream().map(r -> r.month().toString()).toList();
    }

    private static boolean has(LoadedState s, TableRef t, long id) {
        return s.files().files(t).stream().anyMatch(f -> f.id() == id);
    }

    /** Adds {@code f} to snapshot {@code seq}'s removed_files, as a 3.2+ server records a deletion. */
    static void removeInSnapshot(NodePaths node, long seq, TableRef t, ParquetFile f) throws IOException {
        Path p = node.snapshot(seq);
        ObjectNode o = SimJson.readObject(p);
        FileMap removed = FileMap.of(FileListing.fromJson(o.get("removed_files"), p.toString()));
        removed.append(t, f);
        o.set("removed_files", removed.toListing().toJson());
        Files.write(p, SimJson.pretty(o));
    }

    static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
