package io.kompactor.camel;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.kompactor.commit.Retirement;
import io.kompactor.commit.TxKind;
import io.kompactor.fs.FaultHook;
import io.kompactor.commit.JournalEntry;
import io.kompactor.commit.TxState;
import io.kompactor.merge.MergeResult;
import io.kompactor.plan.CompactionPlan;
import io.kompactor.testing.Fixtures;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Originals are retired only once the server (asked over its HTTP API, on loopback) restarted since the commit or no
 * longer lists them; then purged.
 */
class ServerRetirementTest {
    @TempDir
    Path tmp;

    @Test
    void retiresOnlyWhatTheServerNoLongerReadsThenPurges() throws Exception {
        Path data = Fixtures.copy("core-3.6", tmp.resolve("data"));
        List<String> served = new CopyOnWriteArrayList<>();
        List<String> auth = new CopyOnWriteArrayList<>();
        List<String> queries = new CopyOnWriteArrayList<>();
        ObjectMapper json = new ObjectMapper();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        String[] pid = {"process-1"};
        server.createContext("/ping", ex -> {
            auth.add(ex.getRequestHeaders().getFirst("Authorization"));
            byte[] b = ("{\"product_name\":\"InfluxDB 3 Core\",\"process_id\":\"" + pid[0] + "\"}").getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        server.createContext("/api/v3/configure/database", ex -> {
            auth.add(ex.getRequestHeaders().getFirst("Authorization"));
            byte[] b = "[{\"iox::database\":\"db0\"},{\"iox::database\":\"db1\"},{\"iox::database\":\"_internal\"}]".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        server.createContext("/api/v3/query_sql", ex -> {
            auth.add(ex.getRequestHeaders().getFirst("Authorization"));
            queries.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            List<Map<String, String>> rows = new ArrayList<>();
            served.forEach(p -> rows.add(Map.of("path", p)));
            byte[] b = json.writeValueAsBytes(rows);
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        server.start();
        try {
            Map<String, String> props = new HashMap<>(io.kompactor.config.Settings.defaults());
            props.put("kompactor.data-dir", data.toString());
            props.put("kompactor.settle", "0");
            props.put("kompactor.duckdb.threads", "2");
            props.put("kompactor.influxdb.url", "http://127.0.0.1:" + server.getAddress().getPort());
            props.put("kompactor.influxdb.token", "secret");
            KompactorSettings settings = KompactorSettings.from(props);
            KompactorRuntime rt = new KompactorRuntime(settings, FaultHook.NONE,
                    new KompactorMetrics(new SimpleMeterRegistry(), Clock.systemUTC()), Clock.systemUTC());
            rt.start();
            try {
                for (CompactionPlan p : rt.planner().plan(io.kompactor.snapshot.HostMetadata.load(data, "node0")).plans()) {
                    MergeResult m = rt.merger().merge(p);
                    new CommitterBean(rt).commit(m, null);
                }
                List<JournalEntry> kept = rt.transactions().journal().list();
                assertEquals(4, kept.size());
                assertTrue(kept.stream().allMatch(e -> "process-1".equals(e.unlisted().serverProcessId())),
                        "each commit records the server process then running");
                RetirerBean retirer = new RetirerBean(rt);

                // the server has not restarted and still reads the originals: nothing retired
                kept.forEach(e -> e.inputs().forEach(in -> served.add(in.path())));
                assertEquals(List.of(), retirer.retireUnlisted());
                // still the same process, but it no longer reads table 0/0's originals: only those are retired
                served.clear();
                JournalEntry t00 = kept.stream().filter(e -> e.tables().equals("0/0")).findFirst().orElseThrow();
                t00.outputs().forEach(o -> served.add("/" + o.path()));
                kept.stream().filter(e -> e != t00).forEach(e -> e.inputs().forEach(in -> served.add(in.path())));
                List<String> done = retirer.retireUnlisted();
                assertEquals(1, done.size(), done.toString());
                assertEquals(TxState.RETIRED, rt.transactions().journal().read(t00.tx()).state());
                t00.inputs().forEach(in -> {
                    assertFalse(Files.exists(data.resolve(in.path())), in.path());
                    assertTrue(Files.exists(rt.workspace().state().retired(t00.tx()).resolve(in.path())));
                });
                assertTrue(auth.stream().allMatch("Bearer secret"::equals), auth.toString());
                assertTrue(queries.stream().anyMatch(q -> q.contains("\"db\":\"db1\"") && q.contains("system.parquet_files")), queries.toString());
                assertTrue(queries.stream().noneMatch(q -> q.contains("_internal")));

                // the server restarted (another process_id): every remaining original is retired
                pid[0] = "process-2";
                assertEquals(3, retirer.retireUnlisted().size());
                assertEquals(4, rt.transactions().journal().list().stream()
                        .filter(e -> e.kind() == TxKind.COMPACT && e.state() == TxState.RETIRED).count());

                // purge: nothing is old enough now; 8 days later the retired originals and backups are gone
                Retirement r = new Retirement(rt.transactions());
                assertEquals(List.of(), r.purge(Duration.ofDays(7)));
                assertEquals(4, r.purge(Duration.ofDays(-8)).stream().filter(l -> l.contains("RETIRED")).count());
                assertFalse(Files.exists(rt.workspace().state().retired(t00.tx())));
                assertFalse(Files.exists(rt.workspace().state().backup(t00.tx())));
            } finally {
                rt.stop();
            }
        } finally {
            server.stop(0);
        }
    }
}
