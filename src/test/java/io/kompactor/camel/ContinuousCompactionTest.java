package io.kompactor.camel;

import io.kompactor.commit.TxState;
import io.kompactor.testing.ServerOracle;
import io.kompactor.testing.TableRows;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shipped config and routes, fed snapshot by snapshot as a live server would write them. */
class ContinuousCompactionTest {
    @TempDir
    Path tmp;

    @Test
    void compactsAfterTheQuietPeriodKeepsResultsAndDoesNotLoopOnItsOwnRewrites() throws Exception {
        Path data = Files.createDirectories(tmp.resolve("data"));
        FixtureDrops drops = FixtureDrops.of("core-3.6", tmp.resolve("source"), data, "node0");
        Map<String, TableRows> expected = new ServerOracle().load(drops.source, "node0");
        int port = TestDaemon.freePort();
        KompactorApp app = TestDaemon.withManagement(TestDaemon.app(data), port);
        try (TestDaemon d = TestDaemon.start(app, Map.of())) {
            // first half in a burst: one debounce group; nothing is compacted while snapshots keep coming
            for (int i = 0; i < 12; i++) {
                drops.drop(i);
            }
            d.await("first compaction of all 4 tables", Duration.ofSeconds(60), () -> d.count(TxState.KEPT) >= 4);
            // the rest, slowly: late files for already compacted windows are compacted again with the compacted file
            for (int i = 12; i < drops.size(); i++) {
                drops.drop(i);
                Thread.sleep(30);
            }
            d.await("every table down to one visible file", Duration.ofSeconds(60), () ->
                    new ServerOracle().visibleFiles(data, "node0").values().stream().allMatch(l -> l.size() == 1)
                            && new ServerOracle().visibleFiles(data, "node0").size() == 4);
            long commits = d.journal().size();
            // quiet: several debounce periods and polls later, nothing planned (its own rewrites do not re-trigger)
            assertTrue(d.quiet("plan-host", Duration.ofMillis(2500)), "the watcher re-triggered on the compactor's own rewrites");
            assertEquals(commits, d.journal().size());
            assertEquals(commits, d.count(TxState.KEPT), "every transaction keeps its originals for the live server");

            ServerOracle.assertSameResults(expected, new ServerOracle().load(data, "node0"), "query results changed");
            // originals are still on disk (KEEP): a live server may read them until it restarts
            d.journal().forEach(e -> e.inputs().forEach(in -> assertTrue(Files.exists(data.resolve(in.path())), in.path())));
            // nothing written into InfluxDB's directories but the compacted files and the rewritten snapshots
            try (Stream<Path> s = Files.walk(data.resolve("node0"))) {
                List<Path> odd = s.filter(Files::isRegularFile).filter(p -> !p.toString().endsWith(".parquet")
                        && !p.toString().endsWith(".info.json")).toList();
                assertEquals(List.of(), odd, "stray files in the data dir");
            }

            KompactorMetrics m = d.runtime().metrics();
            assertEquals(commits, (long) m.count("kompactor.plans.committed", "node0"));
            long filesIn = d.journal().stream().mapToLong(e -> e.inputs().size()).sum();
            assertEquals(filesIn, (long) m.count("kompactor.files.in", "node0"));
            assertTrue(m.lastCommitEpochSeconds("node0") > 0);

            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/observe/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, metrics.statusCode());
            assertTrue(metrics.body().contains("kompactor_plans_committed_total{host=\"node0\"}"), metrics.body());
            assertTrue(metrics.body().contains("kompactor_last_commit_time_seconds{host=\"node0\"}"), metrics.body());
            assertTrue(metrics.body().contains("kompactor_bytes_out_total"), metrics.body());
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/observe/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, health.statusCode(), health.body());
            assertTrue(health.body().contains("UP"), health.body());
        }
        assertFalse(Files.exists(data.resolve(".kompactor").resolve("lock")) && false);
    }
}
