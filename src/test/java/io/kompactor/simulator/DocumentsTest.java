package io.kompactor.simulator;

import io.kompactor.testing.Fixtures;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The simulator writes the server's JSON byte for byte and reads every era
 * (docs/format.md, "Snapshot JSON", "Checkpoints", "Table index").
 */
class DocumentsTest {
    private final Path node = Fixtures.dataDir("core-3.9").resolve("node0");

    @Test
    void snapshotsCheckpointAndIndexRoundTripByteForByte() throws IOException {
        List<Path> snapshots = SnapshotFiles.listSorted(node.resolve("snapshots"), ".info.json");
        assertEquals(20, snapshots.size());
        for (Path p : snapshots) {
            assertArrayEquals(Files.readAllBytes(p), SimJson.pretty(SnapshotFiles.read(p).toJson()), p.toString());
        }
        Path cp = node.resolve("snapshot-checkpoints/2025-01/18446744073709551604.checkpoint.json");
        assertArrayEquals(Files.readAllBytes(cp),
                SimJson.pretty(CheckpointDoc.parse(SimJson.readObject(cp), cp.toString()).toJson()));
        Path index = node.resolve("db-indices/0/1/index.info.json");
        assertArrayEquals(Files.readAllBytes(index),
                SimJson.pretty(TableIndexDoc.parse(SimJson.readObject(index), index.toString()).toJson()));
    }

    @Test
    void everyEraParses() {
        SnapshotDoc alpha = SnapshotFiles.read(SnapshotFiles.listNewestFirst(
                new NodePaths(Fixtures.dataDir("alpha"), "my_host")).get(0));
        assertNull(alpha.version());
        assertEquals("my_host", alpha.nodeId());
        assertFalse(alpha.hasRemovedFiles());
        SnapshotDoc v30 = SnapshotFiles.read(SnapshotFiles.listNewestFirst(
                new NodePaths(Fixtures.dataDir("core-3.0"), "node0")).get(0));
        assertEquals("1", v30.version());
        assertFalse(v30.hasRemovedFiles());
        assertTrue(v30.databases().allFiles().get(0).path().startsWith("node0/dbs/db0-0/"));
    }

    @Test
    void emptyListsAndDefaultsAreWrittenAsTheServerDoes() {
        String empty = new String(SimJson.pretty(TableIndexDoc.empty("n", new TableRef(1, 2)).toJson()));
        assertEquals("{\n  \"node_id\": \"n\",\n  \"db_id\": 1,\n  \"table_id\": 2,\n  \"files\": [],\n"
                + "  \"latest_snapshot_sequence_number\": 0,\n  \"parquet_size_bytes\": 0,\n  \"row_count\": 0,\n"
                + "  \"min_time\": 9223372036854775807,\n  \"max_time\": 0\n}", empty);
        SnapshotDoc removalOnly = new SnapshotDoc("1", "n", 5, 3, 4, 1, FileListing.EMPTY, FileListing.EMPTY, true,
                SimTesting.T0);
        String json = new String(SimJson.pretty(removalOnly.toJson()));
        assertTrue(json.contains("\"min_time\": 9223372036854775807,\n  \"max_time\": -9223372036854775808,\n"
                + "  \"databases\": [],\n  \"removed_files\": []\n}"), json);
    }

    @Test
    void aDuplicateTableIdIsAnErrorAsInSerde() {
        String dup = "[[0, {\"tables\": [[1, []], [1, []]]}]]";
        SimulatorException e = assertThrows(SimulatorException.class,
                () -> FileListing.fromJson(SimJson.MAPPER.readTree(dup), "x"));
        assertTrue(e.getMessage().contains("duplicate key"), e.getMessage());
    }
}
