package io.kompactor.simulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static io.kompactor.simulator.SimTesting.GEN1;
import static io.kompactor.simulator.SimTesting.T0;
import static io.kompactor.simulator.SimTesting.points;
import static io.kompactor.simulator.SimTesting.tree;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Checkpoints the running server writes from its memory
 * (docs/format.md, "Checkpoints", "What a running server writes later").
 */
class CheckpointTest {
    /** What a compactor's commit would leave: the originals gone from the snapshots, one compacted file instead. */
    private static final ParquetFile COMPACTED = new ParquetFile(1L << 62,
            "node0/dbs/0/0/2025-01-26/00-00/kompacted-2-4611686018427387904.parquet", 1, 1, 0, 0, 0);
    private static final TableRef CPU = new TableRef(0, 0);

    @TempDir
    Path tmp;

    private final SimClock clock = new SimClock(T0);

    @Test
    void aCheckpointWrittenAfterAnExternalRewriteListsTheOriginalsAgain() throws IOException {
        Path dir = tmp.resolve("d");
        NodePaths node = new NodePaths(dir, "node0");
        try (InfluxDb3Simulator sim = InfluxDb3Simulator.start(dir,
                SimTesting.options().checkpointInterval(Duration.ofHours(1)).build(), clock)) {
            persistBuckets(sim, 3);
            assertEquals(List.of(), tree(node.checkpointsDir()), "the interval has not passed yet");
            compactExternally(node, 3);
            assertEquals(Set.of(COMPACTED.id()), ids(RestartLoader.load(node, LoadOptions.server()).files()),
                    "a restart now would list the compacted file");

            clock.advance(Duration.ofHours(1));
            sim.write("db0", "mem", points(clock.get(), 1, "a", 0));
            sim.persistSnapshot();
            CheckpointDoc cp = CheckpointFiles.read(CheckpointFiles.latestPerMonth(node).get(0));
            assertEquals(3, cp.lastSnapshotSeq());
            assertEquals(Set.of(0L, 1L, 2L), idsOf(cp.databases(), CPU), "built from memory: the originals");

            sim.restart();
            assertEquals(Set.of(0L, 1L, 2L), idsOf(sim.persistedFiles(), CPU),
                    "the restart prefers the checkpoint over the rewritten snapshots it covers");
        }
    }

    @Test
    void theStartupBuildReadsTheSnapshotsOnDiskAndSoKeepsARewrite() throws IOException {
        Path dir = tmp.resolve("d");
        NodePaths node = new NodePaths(dir, "node0");
        try (InfluxDb3Simulator sim = InfluxDb3Simulator.start(dir, SimTesting.options().build(), clock)) {
            persistBuckets(sim, 3);
            sim.stop();
            compactExternally(node, 3);
            sim.restart();
            assertEquals(1, sim.checkpointsWrittenAtStart().size());
            CheckpointDoc cp = CheckpointFiles.read(CheckpointFiles.latestPerMonth(node).get(0));
            assertEquals(Set.of(COMPACTED.id()), idsOf(cp.databases(), CPU));
        }
    }

    @Test
    void aMonthRolloverWritesThePreviousMonthsCheckpoint() throws IOException {
        clock.set(Instant.parse("2025-01-31T23:40:00Z"));
        Path dir = tmp.resolve("d");
        NodePaths node = new NodePaths(dir, "node0");
        try (InfluxDb3Simulator sim = InfluxDb3Simulator.start(dir,
                SimTesting.options().checkpointInterval(Duration.ofDays(1)).build(), clock)) {
            persistBuckets(sim, 1);
            assertEquals(List.of(), tree(node.checkpointsDir()));
            persistBuckets(sim, 1);
            assertEquals(List.of("2025-01/" + NodePaths.inverted(0) + ".checkpoint.json"), tree(node.checkpointsDir()),
                    "the first February snapshot writes January's checkpoint, not yet February's");
            CheckpointDoc jan = CheckpointFiles.read(CheckpointFiles.latestPerMonth(node).get(0));
            assertEquals(YearMonth.of(2025, 1), jan.month());
            assertEquals(Set.of(0L), idsOf(jan.databases(), CPU));
        }
    }

    @Test
    void onlyTheNewestTwoCheckpointsOfAMonthStay() throws IOException {
        Path dir = tmp.resolve("d");
        NodePaths node = new NodePaths(dir, "node0");
        try (InfluxDb3Simulator sim = InfluxDb3Simulator.start(dir,
                SimTesting.options().checkpointInterval(GEN1).build(), clock)) {
            persistBuckets(sim, 4);
        }
        assertEquals(List.of("2025-01/" + NodePaths.inverted(3) + ".checkpoint.json",
                "2025-01/" + NodePaths.inverted(2) + ".checkpoint.json"), tree(node.checkpointsDir()));
        assertEquals(Set.of(0L, 1L, 2L, 3L), idsOf(CheckpointFiles.read(CheckpointFiles.latestPerMonth(node).get(0))
                .databases(), CPU), "cumulative for the month");
    }

    /** {@code n} snapshots, each one cpu file in the bucket of the clock, the clock one gen1 further after each. */
    private void persistBuckets(InfluxDb3Simulator sim, int n) {
        for (int i = 0; i < n; i++) {
            sim.write("db0", "cpu", points(clock.get(), 2, "a", i));
            clock.advance(GEN1);
            sim.persistSnapshot();
        }
    }

    /** Rewrites snapshots 0 .. n-1 in place as Kompactor commits: originals dropped, the compacted file in the newest. */
    private static void compactExternally(NodePaths node, int n) throws IOException {
        for (int seq = 0; seq < n; seq++) {
            Path p = node.snapshot(seq);
            ObjectNode o = SimJson.readObject(p);
            FileMap files = new FileMap();
            if (seq == n - 1) {
                files.append(CPU, COMPACTED);
            }
            o.set("databases", files.toListing().toJson());
            FileTime mtime = Files.getLastModifiedTime(p);
            Files.write(p, SimJson.pretty(o));
            Files.setLastModifiedTime(p, mtime);
        }
    }

    private static Set<Long> ids(FileListing listing) {
        Set<Long> out = new TreeSet<>();
        listing.allFiles().forEach(f -> out.add(f.id()));
        return out;
    }

    private static Set<Long> idsOf(FileListing listing, TableRef t) {
        Set<Long> out = new TreeSet<>();
        listing.files(t).forEach(f -> out.add(f.id()));
        return out;
    }
}
