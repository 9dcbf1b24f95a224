package io.kompactor.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kompactor.testing.DataDirAssertions;
import io.kompactor.testing.Fixtures;
import io.kompactor.testing.OracleFile;
import io.kompactor.testing.ServerOracle;
import io.kompactor.testing.TableRows;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DemoDataDirTest {
    static final long START = Instant.parse("2025-03-01T00:00:00Z").getEpochSecond() * 1_000_000_000L;
    static final ObjectMapper MAPPER = new ObjectMapper();

    /** Defaults plus checkpoint, written once and only read by the tests that use it. */
    static final DemoSpec DEFAULTS = DemoSpec.defaults("node0", START).withMetadata(true, true);

    @TempDir
    static Path shared;
    static DemoSummary sharedSummary;

    @TempDir
    Path tmp;

    private final ServerOracle oracle = new ServerOracle();

    @BeforeAll
    static void writeDefaults() {
        sharedSummary = DemoDataDir.write(shared, DEFAULTS);
    }

    @Test
    void everyListedFileExistsWithExactFactsAndTheOracleSeesLateDataUpsertsAndGrowth() throws Exception {
        DemoSpec spec = DEFAULTS;
        DemoSummary summary = sharedSummary;
        Path tmp = shared;

        Map<String, List<OracleFile>> visible = oracle.visibleFiles(tmp, "node0");
        assertEquals(Set.of("0/0", "0/1", "1/0", "1/1"), visible.keySet());
        List<OracleFile> all = visible.values().stream().flatMap(List::stream).toList();
        assertEquals(summary.files(), all.size());
        assertEquals(summary.files(), DataDirAssertions.parquetFileCount(tmp, "node0"), "no unlisted files");
        assertEquals(summary.rows(), all.stream().mapToLong(OracleFile::rowCount).sum());
        assertEquals(summary.bytes(), all.stream().mapToLong(OracleFile::sizeBytes).sum());
        assertEquals(24, summary.snapshots());

        try (Connection c = duckdb()) {
            for (OracleFile f : all) {
                Path p = tmp.resolve(f.path());
                assertEquals(f.sizeBytes(), Files.size(p), f.path());
                long[] facts = scan(c, p);
                assertEquals(List.of(f.rowCount(), f.minTime(), f.maxTime()), List.of(facts[0], facts[1], facts[2]), f.path());
                assertEquals(0, facts[3], f.path() + " sorted by host, region, time");
                assertTrue(f.chunkTime() <= f.minTime() && f.maxTime() < f.chunkTime() + spec.gen1Ns(), f.path());
            }
            String everything = "read_parquet('" + tmp + "/node0/dbs/**/*.parquet', union_by_name=true)";
            assertTrue(count(c, "SELECT count(*) FROM " + everything + " WHERE bytes > 9223372036854775807") > 0,
                    "uintegers above 2^63");
            assertTrue(count(c, "SELECT count(*) FROM " + everything + " WHERE status = '停止'") > 0, "non-ASCII strings");
            assertTrue(count(c, "SELECT count(*) FROM " + everything + " WHERE usage IS NULL") > 0, "some nulls");
            assertTrue(count(c, "SELECT count(DISTINCT added_later IS NULL) FROM " + everything) == 2,
                    "added_later only in newer files");
        }

        Map<String, TableRows> rows = oracle.load(tmp, "node0");
        long returned = rows.values().stream().mapToLong(TableRows::rowCount).sum();
        assertTrue(returned < summary.rows(), "upserts collapse: " + returned + " < " + summary.rows());
        long onTimeRows = 2 * 2 * 24 * 40;
        assertTrue(returned > onTimeRows, "late files also add new keys: " + returned + " > " + onTimeRows);
        assertTrue(rows.get("0/0").columns().contains("added_later:DOUBLE"), rows.get("0/0").columns().toString());
        assertFalse(rows.get("0/1").columns().contains("added_later:DOUBLE"));
        assertTrue(rows.get("0/0").columns().contains("host:VARCHAR:tag"), "tags carry iox metadata");

        // Late files are named after their own snapshot's WAL file, in the directory of an older bucket.
        Map<Path, List<Path>> byDir = new TreeMap<>();
        DataDirAssertions.parquetFiles(tmp, "node0").forEach(p -> byDir.computeIfAbsent(p.getParent(), d -> new ArrayList<>()).add(p));
        assertTrue(byDir.values().stream().anyMatch(l -> l.size() > 1), "late files share a bucket directory");
    }

    @Test
    void snapshotJsonHasTheFixtureShape() throws IOException {
        Path tmp = shared;
        Path fixture = Fixtures.dataDir("core-3.9").resolve("node0");
        Path demo = tmp.resolve("node0");

        JsonNode first = read(demo.resolve("snapshots/18446744073709551615.info.json"));
        assertEquals(fieldNames(read(fixture.resolve("snapshots/18446744073709551615.info.json"))), fieldNames(first));
        assertEquals(fieldNames(read(fixture.resolve("db-indices/0/0/index.info.json"))),
                fieldNames(read(demo.resolve("db-indices/0/0/index.info.json"))));
        assertEquals(fieldNames(read(fixture.resolve("table-index-conversion-completed"))),
                fieldNames(read(demo.resolve("table-index-conversion-completed"))));
        Path checkpoint = demo.resolve("snapshot-checkpoints/2025-03/" + (Long.toUnsignedString(-1L - 11)) + ".checkpoint.json");
        assertEquals(fieldNames(read(fixture.resolve("snapshot-checkpoints/2025-01/18446744073709551604.checkpoint.json"))),
                fieldNames(read(checkpoint)));

        long previousNext = 0;
        for (int seq = 0; seq < 24; seq++) {
            Path p = demo.resolve("snapshots/" + Long.toUnsignedString(-1L - seq) + ".info.json");
            byte[] bytes = Files.readAllBytes(p);
            assertEquals('}', bytes[bytes.length - 1], "no trailing newline, like serde");
            JsonNode s = MAPPER.readTree(bytes);
            assertEquals("1", s.get("version").asText());
            assertEquals(seq, s.get("snapshot_sequence_number").asLong());
            assertEquals(seq + 1, s.get("wal_file_sequence_number").asLong());
            List<JsonNode> files = files(s.get("databases"));
            assertEquals(files.stream().mapToLong(f -> f.get("size_bytes").asLong()).sum(), s.get("parquet_size_bytes").asLong());
            assertEquals(files.stream().mapToLong(f -> f.get("row_count").asLong()).sum(), s.get("row_count").asLong());
            assertEquals(files.stream().mapToLong(f -> f.get("min_time").asLong()).min().orElseThrow(), s.get("min_time").asLong());
            assertEquals(files.stream().mapToLong(f -> f.get("max_time").asLong()).max().orElseThrow(), s.get("max_time").asLong());
            for (JsonNode f : files) {
                assertEquals(previousNext++, f.get("id").asLong(), "ids increase in write order");
                assertTrue(f.get("path").asText().endsWith(String.format("/%010d.parquet", seq + 1)), f.toString());
            }
            assertEquals(previousNext, s.get("next_file_id").asLong());
            assertTrue(s.get("removed_files").isArray() && s.get("removed_files").isEmpty());
        }
    }

    @Test
    void checkpointAndTableIndexAgreeWithTheSnapshots() throws IOException {
        Path host = shared.resolve("node0");

        Set<Long> firstHalf = new TreeSet<>();
        Map<String, Set<Long>> perTable = new HashMap<>();
        for (int seq = 0; seq < 24; seq++) {
            JsonNode s = read(host.resolve("snapshots/" + Long.toUnsignedString(-1L - seq) + ".info.json"));
            for (JsonNode db : s.get("databases")) {
                for (JsonNode t : db.get(1).get("tables")) {
                    for (JsonNode f : t.get(1)) {
                        if (seq < 12) {
                            firstHalf.add(f.get("id").asLong());
                        }
                        perTable.computeIfAbsent(db.get(0) + "/" + t.get(0), k -> new TreeSet<>()).add(f.get("id").asLong());
                    }
                }
            }
        }
        JsonNode cp = read(host.resolve("snapshot-checkpoints/2025-03/" + Long.toUnsignedString(-1L - 11) + ".checkpoint.json"));
        assertEquals(11, cp.get("last_snapshot_sequence_number").asLong());
        assertEquals(firstHalf, new TreeSet<>(files(cp.get("databases")).stream().map(f -> f.get("id").asLong()).toList()));
        assertEquals(read(host.resolve("snapshots/" + Long.toUnsignedString(-1L - 11) + ".info.json")).get("next_file_id"),
                cp.get("next_file_id"));

        for (var e : perTable.entrySet()) {
            JsonNode idx = read(host.resolve("db-indices/" + e.getKey() + "/index.info.json"));
            List<Long> ids = new ArrayList<>();
            idx.get("files").forEach(f -> ids.add(f.get("id").asLong()));
            assertEquals(new ArrayList<>(e.getValue()), ids, "index lists every file of " + e.getKey() + " by id");
            assertEquals(23, idx.get("latest_snapshot_sequence_number").asLong());
        }
        assertEquals(23, read(host.resolve("table-index-conversion-completed")).get("last_sequence_number").asLong());

        // The checkpoint stands in for snapshots 0-11: with or without it the server sees the same rows.
        Map<String, TableRows> withCheckpoint = oracle.load(shared, "node0");
        for (String part : List.of("snapshots", "dbs")) {
            copyTree(host.resolve(part), tmp.resolve("node0").resolve(part));
        }
        assertFalse(Files.exists(tmp.resolve("node0/snapshot-checkpoints")));
        ServerOracle.assertSameResults(withCheckpoint, oracle.load(tmp, "node0"), "checkpoint disagrees with snapshots");
    }

    @Test
    void withoutCheckpointOrIndexNeitherIsWritten() {
        DemoDataDir.write(tmp, DemoSpec.defaults("h", START).withShape(1, 1, 3, 20).withMetadata(false, false));
        assertFalse(Files.exists(tmp.resolve("h/snapshot-checkpoints")));
        assertFalse(Files.exists(tmp.resolve("h/db-indices")));
        assertFalse(Files.exists(tmp.resolve("h/table-index-conversion-completed")));
        assertEquals(3, DataDirAssertions.parquetFileCount(tmp, "h") - lateFiles(tmp, "h"));
    }

    @Test
    void core30LayoutUsesNamesInPathsAndUnevenSeriesStaySorted() throws SQLException {
        // 37 rows over 3 series: the first series gets one time slot more than the others.
        DemoSummary summary = DemoDataDir.write(tmp, DemoSpec.defaults("node0", START).withLayout(DemoSpec.Layout.CORE_30)
                .withShape(1, 2, 4, 37));
        List<Path> files = DataDirAssertions.parquetFiles(tmp, "node0");
        assertEquals(summary.files(), files.size());
        assertTrue(files.stream().allMatch(p -> p.toString().contains("/dbs/db0-0/cpu-0/") || p.toString().contains("/dbs/db0-0/mem-1/")),
                files.toString());
        assertTrue(files.contains(tmp.resolve("node0/dbs/db0-0/cpu-0/2025-03-01/00-00/0000000001.parquet")));
        assertEquals(Set.of("0/0", "0/1"), oracle.load(tmp, "node0").keySet());
        try (Connection c = duckdb()) {
            for (Path p : files) {
                assertEquals(0, scan(c, p)[3], p + " sorted by host, region, time");
            }
        }
    }

    @Test
    void sameSeedSameBytesOtherSeedOtherData() throws IOException {
        DemoSpec spec = DemoSpec.defaults("node0", START).withShape(1, 2, 8, 25).withMetadata(true, true);
        DemoDataDir.write(tmp.resolve("a"), spec);
        DemoDataDir.write(tmp.resolve("b"), spec);
        DemoDataDir.write(tmp.resolve("c"), spec.withSeed(7));
        Map<String, byte[]> a = contents(tmp.resolve("a"));
        Map<String, byte[]> b = contents(tmp.resolve("b"));
        assertEquals(a.keySet(), b.keySet());
        assertTrue(a.keySet().stream().anyMatch(k -> k.endsWith(".info.json")));
        a.forEach((k, v) -> assertArrayEquals(v, b.get(k), k));
        Map<String, byte[]> c = contents(tmp.resolve("c"));
        assertNotEquals(oracle.load(tmp.resolve("a"), "node0"), oracle.load(tmp.resolve("c"), "node0"));
        assertFalse(java.util.Arrays.equals(a.get("node0/snapshots/18446744073709551615.info.json"),
                c.get("node0/snapshots/18446744073709551615.info.json")));
    }

    @Test
    void refusesAnExistingHostDirAndAnUnalignedStart() throws IOException {
        Files.createDirectories(tmp.resolve("node0"));
        assertThrows(IllegalArgumentException.class, () -> DemoDataDir.write(tmp, DemoSpec.defaults("node0", START)));
        assertThrows(IllegalArgumentException.class, () -> DemoSpec.defaults("node0", START + 1));
        assertThrows(IllegalArgumentException.class, () -> DemoSpec.defaults("bad/host", START));
    }

    // --- helpers

    private static long lateFiles(Path dataDir, String host) {
        return DataDirAssertions.parquetFiles(dataDir, host).stream()
                .filter(p -> {
                    String hhmm = p.getParent().getFileName().toString();
                    long bucket = Integer.parseInt(hhmm.substring(0, 2)) * 6L + Integer.parseInt(hhmm.substring(3)) / 10;
                    long wal = Long.parseLong(p.getFileName().toString().replace(".parquet", ""));
                    return wal != bucket + 1;
                }).count();
    }

    /** rows, min ns, max ns, rows out of (host, region, time) order. */
    private static long[] scan(Connection c, Path file) throws SQLException {
        String sql = "SELECT count(*), min(epoch_ns(time)), max(epoch_ns(time)), "
                + "count(*) FILTER (WHERE prev IS NOT NULL AND prev > (host, region, time)) "
                + "FROM (SELECT host, region, time, lag((host, region, time)) OVER (ORDER BY file_row_number) AS prev "
                + "FROM read_parquet(?, file_row_number=true))";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, file.toString());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new long[]{rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)};
            }
        }
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static Connection duckdb() throws SQLException {
        return DriverManager.getConnection("jdbc:duckdb:");
    }

    private static JsonNode read(Path p) throws IOException {
        return MAPPER.readTree(p.toFile());
    }

    private static List<String> fieldNames(JsonNode n) {
        List<String> names = new ArrayList<>();
        Iterator<String> it = n.fieldNames();
        it.forEachRemaining(names::add);
        return names;
    }

    private static List<JsonNode> files(JsonNode databases) {
        List<JsonNode> out = new ArrayList<>();
        databases.forEach(db -> db.get(1).get("tables").forEach(t -> t.get(1).forEach(out::add)));
        return out;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path dst = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(dst);
                } else {
                    Files.copy(p, dst);
                }
            }
        }
    }

    /** Relative path to bytes of every file. */
    private static Map<String, byte[]> contents(Path root) throws IOException {
        Map<String, byte[]> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                m.put(root.relativize(p).toString(), Files.readAllBytes(p));
            }
        }
        return m;
    }
}
