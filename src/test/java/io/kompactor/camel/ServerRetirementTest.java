package io.kompactor.camel;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.kompactor.commit.CommitHook;
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
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Originals are retired only once the server (asked over its SQL API, on loopback) no longer lists them; then purged. */
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
            Map<String, String> props = new HashMap<>(KompactorSettings.DEFAULTS);
            props.put("kompactor.data-dir", data.toString());
            props.put("kompactor.settle", "0");
            props.put("kompactor.duckdb.threads", "2");
            props.put("kompactor.influxdb.url", "http://127.0.0.1:" + server.getAddress().getPort());
            props.put("kompactor.influxdb.token", "secret");
            KompactorSettings settings = KompactorSettings.from(props::get);
            KompactorRuntime rt = new KompactorRuntime(settings, CommitHook.NONE,
                    new KompactorMetrics(new SimpleMeterRegistry(), Clock.systemUTC()), Clock.systemUTC());
            rt.start();
            try {
                for (CompactionPlan p : rt.planner().plan(io.kompactor.snapshot.HostMetadata.load(data, "node0")).plans()) {
                    MergeResult m = rt.merger().merge(p);
                    new CommitterBean(rt).commit(m);
                }
                List<JournalEntry> kept = rt.committer().journal().list();
                assertEquals(4, kept.size());
                RetirerBean retirer = new RetirerBean(rt);

                // the server has not restarted: it still lists the originals
                kept.forEach(e -> e.inputs().forEach(in -> served.add(in.path())));
                assertEquals(List.of(), retirer.retireUnlisted());
                // it has restarted and reads only the compacted files of table 0/0: only that transaction is retired
                served.clear();
                JournalEntry t00 = kept.stream().filter(e -> e.table().equals("0/0")).findFirst().orElseThrow();
                t00.outputs().forEach(o -> served.add("/" + o.entry().path()));
                kept.stream().filter(e -> e != t00).forEach(e -> e.inputs().forEach(in -> served.add(in.path())));
                List<String> done = retirer.retireUnlisted();
                assertEquals(1, done.size(), done.toString());
                assertEquals(TxState.RETIRED, rt.committer().journal().read(t00.tx()).state());
                t00.inputs().forEach(in -> {
                    assertFalse(Files.exists(data.resolve(in.path())), in.path());
                    assertTrue(Files.exists(rt.stateDir().retired(t00.tx()).resolve(in.path())));
                });
                assertEquals(3, rt.committer().journal().list().stream().filter(e -> e.state() == TxState.KEPT).count());
                assertTrue(auth.stream().allMatch("Bearer secret"::equals), auth.toString());
                assertTrue(queries.stream().anyMatch(q -> q.contains("\"db\":\"db1\"") && q.contains("system.parquet_files")), queries.toString());
                assertTrue(queries.stream().noneMatch(q -> q.contains("_internal")));

                // purge: nothing is old enough now; 8 days later the retired originals and backups are gone
                Retirement r = new Retirement(rt.committer(), Clock.systemUTC());
                assertEquals(List.of(), r.purge(Duration.ofDays(7)));
                Retirement later = new Retirement(rt.committer(), Clock.fixed(Instant.now().plus(Duration.ofDays(8)), ZoneOffset.UTC));
                assertEquals(1, later.purge(Duration.ofDays(7)).size());
                assertFalse(Files.exists(rt.stateDir().retired(t00.tx())));
                assertFalse(Files.exists(rt.stateDir().backup(t00.tx())));
                assertTrue(Files.exists(rt.stateDir().backup(kept.get(1).tx().equals(t00.tx()) ? kept.get(0).tx() : kept.get(1).tx())),
                        "KEPT transactions keep their backups");

                // gc after a restart: every KEPT transaction retired
                assertEquals(3, r.retireKept(Set.of("node0"), e -> true).size());
                assertTrue(rt.committer().journal().list().stream().allMatch(e -> e.state() == TxState.RETIRED));
            } finally {
                rt.stop();
            }
        } finally {
            server.stop(0);
        }
    }
}
