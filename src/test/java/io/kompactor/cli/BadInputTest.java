package io.kompactor.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kompactor.snapshot.Json;
import io.kompactor.testing.DataDirAssertions;
import io.kompactor.testing.Fixtures;
import io.kompactor.testing.ServerOracle;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad input: each case gets a message naming the file and the problem, exit code 1, the damaged table left exactly
 * as it was, and every other table compacted. Once the damage is undone, the server's answers are what they were.
 */
class BadInputTest {
    static final String HOST = "node0";

    @TempDir
    Path tmp;

    Path dataDir;
    Path victim;
    byte[] victimBytes;
    Map<String, io.kompactor.testing.TableRows> before;
    List<Path> victimTableFiles;

    @BeforeEach
    void setUp() throws IOException {
        dataDir = Fixtures.copy("core-3.6", tmp.resolve("d"));
        before = new ServerOracle().load(dataDir, HOST);
        victimTableFiles = tableFiles();
        victim = victimTableFiles.get(victimTableFiles.size() / 2);
        victimBytes = Files.readAllBytes(victim);
    }

    private List<Path> tableFiles() throws IOException {
        try (Stream<Path> s = Files.walk(dataDir.resolve(HOST).resolve("dbs/0/1"))) {
            return s.filter(p -> p.toString().endsWith(".parquet")).sorted().toList();
        }
    }

    private String victimPath() {
        return dataDir.relativize(victim).toString();
    }

    /** Runs compact, checks the outcome every bad input must have, then undoes the damage and compares results. */
    private CliRun compactExpectingRefusal(String problem) throws IOException {
        List<Path> damagedTable = tableFiles();
        CliRun run = CliRun.of("compact", dataDir.toString(), "--hosts", HOST);
        assertEquals(1, run.exitCode(), run::toString);
        assertTrue(run.out().contains(victimPath()), "message names the file: " + run);
        assertTrue(run.out().toLowerCase().contains(problem), "message says '" + problem + "': " + run);
        assertEquals(damagedTable, tableFiles(), "the damaged table was left exactly as it was");
        // 4 tables in core-3.6, all in one day: the three healthy ones end with one file each
        assertEquals(damagedTable.size() + 3, DataDirAssertions.parquetFileCount(dataDir, HOST), run::toString);
        return run;
    }

    private void undoAndCompare() throws IOException {
        Files.write(victim, victimBytes);
        ServerOracle.assertSameResults(before, new ServerOracle().load(dataDir, HOST), "query results changed");
    }

    @Test
    void truncatedParquet() throws IOException {
        Files.write(victim, Arrays.copyOf(victimBytes, victimBytes.length / 2));
        // keep size_bytes consistent so the parquet check itself has to find it
        setListedSize(Files.size(victim));
        compactExpectingRefusal("corrupt");
        setListedSize(victimBytes.length);
        undoAndCompare();
    }

    @Test
    void zeroByteParquet() throws IOException {
        Files.write(victim, new byte[0]);
        setListedSize(0);
        compactExpectingRefusal("0-byte");
        setListedSize(victimBytes.length);
        undoAndCompare();
    }

    @Test
    void listedFileMissing() throws IOException {
        Files.delete(victim);
        compactExpectingRefusal("not found");
        undoAndCompare();
    }

    @Test
    void sizeBytesDoesNotMatch() throws IOException {
        setListedSize(victimBytes.length + 3);
        compactExpectingRefusal("size");
        setListedSize(victimBytes.length);
        undoAndCompare();
    }

    @Test
    void columnTypeDiffersBetweenFiles() throws Exception {
        Path rewritten = tmp.resolve("rewritten.parquet");
        String column;
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT column_name FROM (DESCRIBE SELECT * FROM read_parquet('"
                    + victim + "')) WHERE column_type IN ('DOUBLE', 'BIGINT', 'UBIGINT') LIMIT 1")) {
                rs.next();
                column = rs.getString(1);
            }
            st.execute("COPY (SELECT * REPLACE (CAST(\"" + column + "\" AS VARCHAR) AS \"" + column
                    + "\") FROM read_parquet('" + victim + "')) TO '" + rewritten + "' (FORMAT parquet)");
        }
        Files.copy(rewritten, victim, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        setListedSize(Files.size(victim));
        CliRun run = compactExpectingRefusal("type");
        assertTrue(run.out().contains(column), "message names the column: " + run);
        setListedSize(victimBytes.length);
        undoAndCompare();
    }

    @Test
    void garbageSnapshotJson() throws IOException {
        Path snapshots = dataDir.resolve(HOST).resolve("snapshots");
        Path bad;
        try (Stream<Path> s = Files.list(snapshots)) {
            bad = s.sorted().skip(3).findFirst().orElseThrow();
        }
        byte[] garbage = "{\"version\": \"1\", \"node_id\": \"node0\", \"databases\": [[0, {\"tab".getBytes(StandardCharsets.UTF_8);
        Files.write(bad, garbage);
        Map<Path, String> before = DataDirAssertions.tree(dataDir.resolve(HOST));

        // the metadata is the host's map: a broken snapshot stops the whole host, nothing of it is changed
        CliRun run = CliRun.of("compact", dataDir.toString(), "--hosts", HOST);
        assertEquals(1, run.exitCode(), run::toString);
        assertTrue(run.out().contains(bad.toString()) && run.out().contains("not valid JSON"), run::toString);
        DataDirAssertions.assertSameTree(before, DataDirAssertions.tree(dataDir.resolve(HOST)), "the host was changed");

        CliRun verify = CliRun.of("verify", dataDir.toString(), "--hosts", HOST);
        assertEquals(1, verify.exitCode(), verify::toString);
        assertTrue(verify.out().contains(bad.toString()), verify::toString);
    }

    /** Sets size_bytes of the victim's entry in the snapshot that lists it, the way a server would have. */
    private void setListedSize(long size) throws IOException {
        String path = victimPath().replace('\\', '/');
        try (Stream<Path> s = Files.list(dataDir.resolve(HOST).resolve("snapshots"))) {
            for (Path snap : s.toList()) {
                ObjectNode json = Json.readObject(snap);
                boolean changed = false;
                for (JsonNode db : json.get("databases")) {
                    for (JsonNode table : db.get(1).get("tables")) {
                        for (JsonNode f : table.get(1)) {
                            if (f.get("path").asText().equals(path)) {
                                ((ObjectNode) f).put("size_bytes", size);
                                changed = true;
                            }
                        }
                    }
                }
                if (changed) {
                    Files.write(snap, Json.prettyBytes(json, false));
                }
            }
        }
    }
}
