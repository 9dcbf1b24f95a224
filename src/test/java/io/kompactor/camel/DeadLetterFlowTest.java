package io.kompactor.camel;

import io.kompactor.commit.RetirePolicy;
import io.kompactor.commit.ServerProbe;
import io.kompactor.commit.StateDir;
import io.kompactor.commit.Transactions;
import io.kompactor.commit.Workspace;
import io.kompactor.commit.TxState;
import io.kompactor.deadletter.DeadLetter;
import io.kompactor.deadletter.DeadLetterRetrier;
import io.kompactor.deadletter.DeadLetterStore;
import io.kompactor.merge.DuckDbMerger;
import io.kompactor.merge.MergeSettings;
import io.kompactor.testing.Fixtures;
import io.kompactor.testing.ServerOracle;
import io.kompactor.testing.TableRows;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A corrupt file: its plan is dead-lettered with a readable record, the other tables are compacted, retry works once fixed. */
class DeadLetterFlowTest {
    @TempDir
    Path tmp;

    @Test
    void corruptFileIsDeadLetteredOthersGoOnAndRetrySucceedsOnceFixed() throws Exception {
        Path data = Fixtures.copy("core-3.6", tmp.resolve("data"));
        Map<String, TableRows> expected = new ServerOracle().load(data, "node0");
        String bad = "node0/dbs/0/1/2025-01-26/01-00/0000000007.parquet";
        Path badFile = data.resolve(bad);
        byte[] good = Files.readAllBytes(badFile);
        // pages broken, footer intact: the input checks pass and DuckDB fails inside the merge with an error that
        // does not name the file (the merge finds it by decoding each input)
        byte[] broken = good.clone();
        Arrays.fill(broken, 200, 700, (byte) 0x55);
        Files.write(badFile, broken);

        DeadLetterStore store = new DeadLetterStore(StateDir.defaultFor(data));
        try (TestDaemon d = TestDaemon.start(TestDaemon.app(data).override("kompactor.retries", "1"), Map.of())) {
            d.await("a dead letter and the other 3 tables compacted", Duration.ofSeconds(60),
                    () -> store.list().size() == 1 && d.count(TxState.KEPT) == 3);
            DeadLetter dl = store.list().get(0);
            assertEquals("node0", dl.host());
            assertEquals(0, dl.dbId());
            assertEquals(1, dl.tableId());
            // the record leads with the failing file and the cause; the inputs are a list of their own
            assertEquals(bad, dl.file());
            assertTrue(dl.message().startsWith(bad + ": unreadable data"), dl.message());
            assertEquals(1, dl.message().lines().count(), dl.message());
            assertTrue(dl.inputs().size() > 2);
            dl.inputs().stream().filter(i -> !i.path().equals(bad)).forEach(i -> {
                assertFalse(dl.message().contains(i.path()), "an input in the message: " + dl.message());
                dl.detail().forEach(l -> assertFalse(l.contains(i.path()), "an input in the detail: " + l));
            });
            assertTrue(dl.toString().startsWith(dl.message() + " [node0 0/1 "), dl.toString());
            assertTrue(dl.exceptionClass().endsWith("MergeException"), dl.exceptionClass());
            // DuckDB's statement error is in the stack, but it is not the file's cause and is not listed as one
            assertTrue(dl.stack().contains("java.sql.SQLException"), dl.stack());
            assertTrue(dl.causes().stream().noneMatch(c -> c.contains("SQLException")), dl.causes().toString());
            String raw = Files.readString(store.dir().resolve(dl.id() + ".json"));
            assertTrue(raw.indexOf("\"message\"") < raw.indexOf("\"inputs\""), "the record leads with the message");
            assertEquals(2, dl.attempts(), "1 attempt + 1 retry");
            assertEquals("plan-host", dl.routeId(), "the route whose step (direct:compact) failed");
            assertTrue(dl.inputs().stream().anyMatch(i -> i.path().equals(bad)), "the plan's inputs name the file");
            assertTrue(dl.stack().contains("DuckDbMerger"), "stack recorded");
            assertEquals(1, (long) d.runtime().metrics().count("kompactor.dead.letters", "node0"));
            assertEquals(2, (long) d.runtime().metrics().count("kompactor.failures", "node0"));
            // a later scan (the same windows again) does not retry it in a loop
            org.apache.camel.builder.NotifyBuilder planned = new org.apache.camel.builder.NotifyBuilder(d.context())
                    .fromRoute("plan-host").whenDone(1).create();
            d.context().createProducerTemplate().sendBody("seda:plan-host", new HostTrigger("node0", "test", List.of()));
            assertTrue(planned.matches(30, java.util.concurrent.TimeUnit.SECONDS), "the scan was planned");
            assertEquals(1, store.list().size());
            assertEquals(3, d.journal().size());
        }

        try (Workspace ws = Workspace.forWriting(Workspace.Options.of(data, null, "test"));
             DuckDbMerger merger = new DuckDbMerger(MergeSettings.defaults(ws.scratch()))) {
            Transactions tx = new Transactions(ws, ServerProbe.NONE);
            DeadLetterRetrier retrier = new DeadLetterRetrier(store, () -> merger, tx, RetirePolicy.KEEP, 0,
                    Clock.systemUTC());
            String id = store.list().get(0).id();
            DeadLetterRetrier.Outcome still = retrier.retry(id);
            assertFalse(still.ok());
            assertTrue(still.message().contains("0000000007.parquet"), still.message());
            assertEquals(1, store.get(id).retries().size(), "the failed retry is recorded, the record kept");

            Files.write(badFile, good);
            DeadLetterRetrier.Outcome ok = retrier.retry(id);
            assertTrue(ok.ok(), ok.message());
            assertTrue(store.list().isEmpty());
        }
        try (Workspace ws = Workspace.forReading(Workspace.Options.of(data, null, "test"))) {
            assertEquals(4, ws.journal().list().stream().filter(e -> e.state() == TxState.KEPT).count());
        }
        ServerOracle.assertSameResults(expected, new ServerOracle().load(data, "node0"), "results changed");
        assertTrue(new ServerOracle().visibleFiles(data, "node0").values().stream().allMatch(l -> l.size() == 1));
    }
}
