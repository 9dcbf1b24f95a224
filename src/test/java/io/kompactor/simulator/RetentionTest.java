package io.kompactor.simulator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static io.kompactor.simulator.SimTesting.T0;
import static io.kompactor.simulator.SimTesting.points;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The table index and the retention task (docs/format.md, "Table index", "What a running server writes later"). */
class RetentionTest {
    private static final TableRef CPU = new TableRef(0, 0);

    @TempDir
    Path tmp;

    private final SimClock clock = new SimClock(T0);

    @Test
    void aRetentionPassRewritesTheIndexFromItsCacheAndDeletesByTheIndexedPath() throws IOException {
        Path dir = tmp.resolve("d");
        NodePaths node = new NodePaths(dir, "node0");
        try (InfluxDb3Simulator sim = InfluxDb3Simulator.start(dir,
                SimTesting.options().retention(Duration.ofHours(1), null).build(), clock)) {
            sim.write("db0", "cpu", points(T0.minus(Duration.ofMinutes(50)), 2, "a", 0));
            sim.write("db0", "cpu", points(T0, 2, "a", 0));
            sim.persistSnapshot();
            sim.restart();
            clock.advance(Duration.ofHours(1));
            TableIndexDoc cached = sim.process().tableIndex().orElseThrow().cached(CPU);
            assertEquals(2, cached.files().size(), "the start split snapshot 0 into the index");
            ParquetFile expired = cached.files().get(0);
            ParquetFile kept = cached.files().get(1);
            assertTrue(expired.maxTime() < SimTesting.ns(T0) && kept.maxTime() > SimTesting.ns(T0));

            // A compactor edits the index on disk: its compacted copy C instead of the expired original.
            Path c = dir.resolve("node0/dbs/0/0/2025-01-25/23-10/kompacted-0-4611686018427387904.parquet");
            Files.copy(node.file(expired.path()), c);
            ParquetFile compacted = new ParquetFile(1L << 62, dir.relativize(c).toString(), expired.sizeBytes(),
                    expired.rowCount(), expired.chunkTime(), expired.minTime(), expired.maxTime());
            Files.write(node.tableIndex(CPU), SimJson.pretty(new TableIndexDoc("node0", CPU, List.of(compacted, kept), 0).toJson()));

            RetentionResult r = sim.retentionPass(clock.get());
            assertEquals(List.of(expired), r.deleted().files(CPU), "deleted by the path the CACHED index lists");
            assertFalse(Files.exists(node.file(expired.path())));
            assertTrue(Files.exists(c), "the compacted file is unknown to the server and stays");
            assertArrayEquals(SimJson.pretty(new TableIndexDoc("node0", CPU, List.of(kept), 0).toJson()),
                    Files.readAllBytes(node.tableIndex(CPU)), "written back whole from memory: the edit is gone");
            assertEquals(List.of(kept), sim.persistedFiles().files(CPU));

            SnapshotDoc removal = sim.persistSnapshot().orElseThrow();
            assertTrue(removal.databases().isEmpty());
            assertEquals(List.of(expired), removal.removedFiles().files(CPU));
            sim.retentionPass(clock.get());
            assertEquals(1, sim.process().tableIndex().orElseThrow().cached(CPU).latestSnapshotSeq());
            assertEquals(List.of(), SimTesting.tree(node.tableSnapshotsDir()), "merged table snapshots are deleted");
        }
    }

    @Test
    void everySnapshotDropsAndDeletesExpiredFilesAndTheCheckIntervalRunsPasses() throws IOException {
        Path dir = tmp.resolve("d");
        NodePaths node = new NodePaths(dir, "node0");
        try (InfluxDb3Simulator sim = InfluxDb3Simulator.start(dir,
                SimTesting.options().retention(Duration.ofHours(1), Duration.ofMinutes(30)).build(), clock)) {
            sim.write("db0", "cpu", points(T0.minus(Duration.ofHours(5)), 2, "a", 0));
            sim.persistSnapshot();
            ParquetFile old = sim.persistedFiles().files(CPU).get(0);
            Files.delete(node.file(old.path()));

            clock.advance(Duration.ofMinutes(30));
            sim.write("db0", "cpu", points(clock.get(), 2, "a", 0));
            SnapshotDoc s = sim.persistSnapshot().orElseThrow();
            assertEquals(List.of(old), s.removedFiles().files(CPU), "remove_files_for_deletion runs with every snapshot");
            assertEquals(1, sim.stats().filesDeletedByRetention(), "its object was already gone: NotFound is success");
            TableIndexDoc index = sim.process().tableIndex().orElseThrow().cached(CPU);
            assertEquals(1, index.latestSnapshotSeq(), "the interval ran a pass, which split both snapshots");
            assertEquals(s.databases().files(CPU), index.files(), "the removal reached the index");
        }
    }
}
