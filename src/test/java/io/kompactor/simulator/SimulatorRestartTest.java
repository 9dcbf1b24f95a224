package io.kompactor.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.kompactor.simulator.SimTesting.GEN1;
import static io.kompactor.simulator.SimTesting.T0;
import static io.kompactor.simulator.SimTesting.ids;
import static io.kompactor.simulator.SimTesting.points;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Persisting, restarting and the HTTP API of a running simulated server. */
class SimulatorRestartTest {
    @TempDir
    Path tmp;

    private final SimClock clock = new SimClock(T0);
    private final HttpClient client = HttpClient.newHttpClient();

    @Test
    void aRestartListsTheFilesItPersistedBeforeAndTheDocumentsAreCoreShaped() throws IOException {
        Path dir = tmp.resolve("d");
        try (InfluxDb3Simulator sim = InfluxDb3Simulator.start(dir, SimTesting.options().build(), clock)) {
            for (int s = 0; s < 3; s++) {
                sim.write("db0", "cpu", points(clock.get(), 5, "a", s));
                sim.write("db0", "mem", points(clock.get(), 3, "b", s));
                clock.advance(GEN1);
                sim.persistSnapshot();
            }
            // Late data for the first bucket: a second file in the same directory, named after this snapshot's WAL file.
            sim.write("db0", "cpu", points(T0.plusSeconds(1), 2, "a", 9));
            Map<String, Set<String>> before = ids(sim.persistedFiles());
            assertEquals(Map.of("0/0", 3, "0/1", 3), Map.of("0/0", before.get("0/0").size(), "0/1", before.get("0/1").size()));

            sim.restart();
            assertEquals(4, ids(sim.persistedFiles()).get("0/0").size(), "the graceful stop persisted the late file");
            assertFalse(sim.checkpointsWrittenAtStart().isEmpty(), "3.9: a start without checkpoints builds them");
            Map<String, Set<String>> afterFirst = ids(sim.persistedFiles());

            sim.restart();
            assertTrue(sim.lastLoad().fromCheckpoints());
            assertTrue(sim.checkpointsWrittenAtStart().isEmpty());
            assertEquals(afterFirst, ids(sim.persistedFiles()));
        }
        SnapshotDoc last = SnapshotFiles.read(new NodePaths(dir, "node0").snapshot(3));
        assertEquals(List.of(3L, 4L, 7L), List.of(last.snapshotSeq(), last.walSeq(), last.nextFileId()));
        assertEquals(List.of("node0/dbs/0/0/2025-01-26/00-00/0000000004.parquet"),
                last.databases().allFiles().stream().map(ParquetFile::path).toList());
        assertEquals(T0.plus(GEN1.multipliedBy(3)), Files.getLastModifiedTime(new NodePaths(dir, "node0").snapshot(3)).toInstant(),
                "mtime = the simulated clock: it is persisted_at");
    }

    @Test
    void aCrashLosesTheBufferAndNothingElse() {
        try (InfluxDb3Simulator sim = InfluxDb3Simulator.start(tmp.resolve("d"), SimTesting.options().build(), clock)) {
            sim.write("db0", "cpu", points(clock.get(), 2, "a", 0));
            sim.persistSnapshot();
            sim.write("db0", "cpu", points(clock.get().plus(GEN1), 2, "a", 0));
            sim.crash();
            sim.restart();
            assertEquals(1, sim.persistedFiles().fileCount());
            assertEquals(1, sim.stats().snapshots());
            assertTrue(sim.persistSnapshot().isEmpty(), "nothing buffered, nothing removed: no snapshot");
        }
    }

    @Test
    void pingQuerySqlAndDatabasesOverHttp() throws Exception {
        Path dir = tmp.resolve("d");
        try (InfluxDb3Simulator sim = InfluxDb3Simulator.start(dir, SimTesting.options().http(true).token("s3cr3t").build(), clock)) {
            assertEquals(401, get(sim.url().resolve("/ping"), null).statusCode());
            JsonNode ping = json(get(sim.url().resolve("/ping"), "s3cr3t"));
            assertEquals("InfluxDB 3 Core", ping.get("product_name").asText());
            assertEquals(sim.processId(), ping.get("process_id").asText());

            sim.write("db0", "cpu", points(clock.get(), 2, "a", 0));
            sim.write("db0", "mem", points(clock.get(), 2, "a", 0));
            sim.write("db1", "cpu", points(clock.get(), 2, "a", 0));
            sim.persistSnapshot();
            assertEquals("[{\"iox::database\":\"db0\"},{\"iox::database\":\"db1\"}]",
                    get(sim.url().resolve("/api/v3/configure/database?format=json"), "s3cr3t").body());

            JsonNode all = json(query(sim, "db0", "SELECT * FROM system.parquet_files"));
            assertEquals(2, all.size());
            assertEquals(List.of("table_name", "path", "size_bytes", "row_count", "min_time", "max_time"),
                    fieldNames(all.get(0)));
            JsonNode cpu = json(query(sim, "db0", "select path from system.parquet_files where table_name = 'cpu'"));
            assertEquals(1, cpu.size());
            assertEquals("node0/dbs/0/0/2025-01-26/00-00/0000000001.parquet", cpu.get(0).get("path").asText());
            assertEquals(400, query(sim, "db0", "SELECT count(*) FROM cpu").statusCode());
            assertEquals(404, query(sim, "nope", "SELECT path FROM system.parquet_files").statusCode());

            // The running process answers from memory: a snapshot deleted behind its back changes nothing until a restart.
            Files.delete(new NodePaths(dir, "node0").snapshot(0));
            assertEquals(3, json(query(sim, "db0", "SELECT path FROM system.parquet_files")).size()
                    + json(query(sim, "db1", "SELECT path FROM system.parquet_files")).size());

            String before = sim.processId();
            sim.restart();
            String after = json(get(sim.url().resolve("/ping"), "s3cr3t")).get("process_id").asText();
            assertNotEquals(before, after);
            assertEquals(sim.processId(), after);
            assertEquals(0, json(query(sim, "db0", "SELECT path FROM system.parquet_files")).size());
            sim.stop();
            assertEquals(503, get(sim.url().resolve("/ping"), "s3cr3t").statusCode());
        }
    }

    private HttpResponse<String> query(InfluxDb3Simulator sim, String db, String sql) throws Exception {
        String body = SimJson.MAPPER.createObjectNode().put("db", db).put("q", sql).put("format", "json").toString();
        return client.send(HttpRequest.newBuilder(sim.url().resolve("/api/v3/query_sql"))
                .header("Authorization", "Bearer s3cr3t").timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(URI uri, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> r) throws IOException {
        assertEquals(200, r.statusCode(), r.body());
        return SimJson.MAPPER.readTree(r.body());
    }

    private static List<String> fieldNames(JsonNode o) {
        List<String> names = new ArrayList<>();
        o.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
