package io.kompactor.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The oracle agrees with the query results the fixture README states for each fixture data dir, and follows the
 * loading rules (docs/format.md, "How a restarting server loads files") where the fixtures alone would not tell
 * (checkpoints, N window, removals).
 */
class ServerOracleTest {
    static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path tmp;

    private final ServerOracle oracle = new ServerOracle();

    private Map<String, Long> counts(Path dataDir, String host) {
        Map<String, Long> m = new TreeMap<>();
        oracle.load(dataDir, host).forEach((t, r) -> m.put(t, r.rowCount()));
        return m;
    }

    @Test
    void fixtureCountsMatchTheReadme() {
        assertEquals(Map.of("0/0", 819L, "0/1", 811L), counts(Fixtures.dataDir("core-3.9"), "node0"));
        assertEquals(Map.of("0/0", 1486L, "0/1", 1450L, "1/0", 1464L, "1/1", 1472L), counts(Fixtures.dataDir("core-3.6"), "node0"));
        assertEquals(Map.of("0/0", 733L, "0/1", 720L, "0/2", 735L), counts(Fixtures.dataDir("core-3.0"), "node0"));
        assertEquals(Map.of("0/0", 361L, "0/1", 360L), counts(Fixtures.dataDir("alpha"), "my_host"));
    }

    @Test
    void listedFilesAreTheSnapshotsUnionBeforeDeduplication() {
        Map<String, List<OracleFile>> files = oracle.visibleFiles(Fixtures.dataDir("core-3.6"), "node0");
        assertEquals(110, files.values().stream().mapToInt(List::size).sum());
        assertEquals(5967, files.values().stream().flatMap(List::stream).mapToLong(OracleFile::rowCount).sum());
    }

    @Test
    void checkpointStandsInForTheSnapshotsItCoversAndOnlyTheLatestPerMonthCounts() throws IOException {
        Path dir = Fixtures.copy("core-3.9", tmp.resolve("d"));
        Path host = dir.resolve("node0");
        for (int seq = 0; seq <= 11; seq++) {
            Files.delete(host.resolve("snapshots/" + inverted(seq) + ".info.json"));
        }
        // An older checkpoint of the same month, listing nothing: ignored because a later one exists.
        ObjectNode older = (ObjectNode) MAPPER.readTree(host.resolve("snapshot-checkpoints/2025-01/" + inverted(11) + ".checkpoint.json").toFile());
        older.put("last_snapshot_sequence_number", 5);
        older.set("databases", MAPPER.createArrayNode());
        Files.write(host.resolve("snapshot-checkpoints/2025-01/" + inverted(5) + ".checkpoint.json"), MAPPER.writeValueAsBytes(older));
        assertEquals(Map.of("0/0", 819L, "0/1", 811L), counts(dir, "node0"));
    }

    @Test
    void laterMonthsCheckpointRemovesPendingFilesOfEarlierMonths() throws IOException {
        Path dir = Fixtures.copy("core-3.9", tmp.resolve("d"));
        Path host = dir.resolve("node0");
        ObjectNode jan = (ObjectNode) MAPPER.readTree(host.resolve("snapshot-checkpoints/2025-01/" + inverted(11) + ".checkpoint.json").toFile());
        ObjectNode feb = jan.deepCopy();
        feb.put("year_month", "2025-02");
        feb.put("last_snapshot_sequence_number", 12);
        feb.set("databases", MAPPER.createArrayNode());
        ArrayNode firstFile = (ArrayNode) jan.get("databases").get(0).get(1).get("tables").get(0).get(1);
        feb.set("pending_removed_files", MAPPER.readTree("[[0, {\"tables\": [[0, [" + firstFile.get(0) + "]]]}]]"));
        Files.createDirectories(host.resolve("snapshot-checkpoints/2025-02"));
        Files.write(host.resolve("snapshot-checkpoints/2025-02/" + inverted(12) + ".checkpoint.json"), MAPPER.writeValueAsBytes(feb));

        Map<String, List<OracleFile>> files = oracle.visibleFiles(dir, "node0");
        assertFalse(files.get("0/0").stream().anyMatch(f -> f.id() == 0), "id 0 removed");
        // Snapshot 12 is covered by the February checkpoint, which lists nothing: its files are gone too.
        assertFalse(files.values().stream().flatMap(List::stream).anyMatch(f -> f.id() >= 27 && f.id() <= 29));
        assertTrue(files.get("0/0").stream().anyMatch(f -> f.id() == 30), "snapshot 13 still loaded");
    }

    @Test
    void onlyTheNewestThousandSnapshotsLoadBefore32() throws IOException {
        Path dir = Fixtures.copy("core-3.0", tmp.resolve("d"));
        String empty = "{\"version\":\"1\",\"node_id\":\"node0\",\"next_file_id\":61,\"snapshot_sequence_number\":%d,"
                + "\"wal_file_sequence_number\":%d,\"catalog_sequence_number\":3,\"parquet_size_bytes\":0,\"row_count\":0,"
                + "\"min_time\":9223372036854775807,\"max_time\":-9223372036854775808,\"databases\":[]}";
        // core-3.0 holds seq 0-17; 999 newer empty snapshots leave only seq 17 inside the window of 1000.
        for (int seq = 18; seq < 18 + 999; seq++) {
            Files.writeString(dir.resolve("node0/snapshots/" + inverted(seq) + ".info.json"), String.format(empty, seq, seq + 1));
        }
        Map<String, List<OracleFile>> files = oracle.visibleFiles(dir, "node0");
        assertEquals(List.of(58L, 59L, 60L), files.values().stream().flatMap(List::stream).map(OracleFile::id).sorted().toList());
    }

    @Test
    void removedFilesHideFilesWhicheverSnapshotListsThem() throws IOException {
        Path dir = Fixtures.copy("core-3.6", tmp.resolve("d"));
        Path newest = dir.resolve("node0/snapshots/" + inverted(23) + ".info.json");
        Path oldest = dir.resolve("node0/snapshots/" + inverted(0) + ".info.json");
        ObjectNode first = (ObjectNode) MAPPER.readTree(oldest.toFile());
        ObjectNode last = (ObjectNode) MAPPER.readTree(newest.toFile());
        last.set("removed_files", MAPPER.createArrayNode().add(first.get("databases").get(0)));
        Files.write(newest, MAPPER.writeValueAsBytes(last));

        Map<String, TableRows> before = oracle.load(Fixtures.dataDir("core-3.6"), "node0");
        Map<String, TableRows> after = oracle.load(dir, "node0");
        assertTrue(after.get("0/0").rowCount() < before.get("0/0").rowCount());
        assertEquals(before.get("1/0"), after.get("1/0"));
        String diff = ServerOracle.diff(before, after, 3);
        assertTrue(diff.contains("0/0: expected 1486 rows, got"), diff);
        assertTrue(diff.contains("only expected: ") && diff.contains("more"), diff);
        assertFalse(diff.contains("1/0"), diff);
        assertThrows(AssertionError.class, () -> ServerOracle.assertSameResults(before, after, "x"));
    }

    @Test
    void aFileWithDuplicateKeysIsRejected() throws IOException, SQLException {
        Path dir = Fixtures.copy("core-3.6", tmp.resolve("d"));
        Path victim = dir.resolve("node0/dbs/0/0/2025-01-26/00-00/0000000001.parquet");
        Path doubled = tmp.resolve("doubled.parquet");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            s.execute("COPY (SELECT * FROM read_parquet('" + victim + "') UNION ALL (SELECT * FROM read_parquet('"
                    + victim + "') LIMIT 1)) TO '" + doubled + "' (FORMAT parquet)");
        }
        Files.move(doubled, victim, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> oracle.load(dir, "node0"));
        assertTrue(e.getMessage().contains("0000000001.parquet"), e.getMessage());
    }

    private static String inverted(long seq) {
        return Long.toUnsignedString(-1L - seq);
    }
}
