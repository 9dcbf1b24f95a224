package io.kompactor.camel;

import io.kompactor.commit.JournalEntry;
import io.kompactor.commit.TxKind;
import io.kompactor.commit.TxState;
import io.kompactor.plan.CompactedName;
import io.kompactor.simulator.Row;
import io.kompactor.testing.LiveServer;
import io.kompactor.testing.RestartedServer;
import io.kompactor.testing.ServerOracle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.kompactor.testing.LiveServer.HOST;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The late-data policy's max-wait (docs/operations.md, "Late data") runs on the daemon's clock: the late-data file it
 * gathers late files into carries that clock's time, so with a clock other than the wall clock (a simulated one, as
 * in the continuous benchmark) the gathered data still waits exactly max-wait before the window is merged again. With
 * the file system's time instead, the wait was measured against a time years away and never ended.
 */
class LateDataClockTest {
    @TempDir
    Path tmp;

    @Test
    void gatheredLateDataWaitsMaxWaitOnTheDaemonsClock() throws Exception {
        Path data = tmp.resolve("data");
        Instant day = Instant.parse("2025-01-20T00:00:00Z");
        try (LiveServer server = LiveServer.start(data, day.plus(Duration.ofMinutes(23 * 60 + 30)),
                LiveServer.options().http(false))) {
            Clock daemonClock = server.clock().asClock();
            server.writeAndPersist(3); // 23:30, 23:40, 23:50 of the first day
            try (TestDaemon d = TestDaemon.start(TestDaemon.app(data), Map.of("clock", daemonClock))) {
                server.writeAndPersist(1); // the next day's first bucket: the first day has ended (settle 0)
                d.await("the first day compacted", Duration.ofSeconds(60), () -> compactions(d, false) >= 2);

                // two late files with new keys in the compacted day: the second makes the daemon gather both
                lateNewKeys(server, day.plus(Duration.ofMinutes(23 * 60 + 31)));
                lateNewKeys(server, day.plus(Duration.ofMinutes(23 * 60 + 41)));
                d.await("late files gathered", Duration.ofSeconds(60), () -> compactions(d, true) >= 1);
                Instant gatheredAt = server.clock().get();
                Path gathered = gatheredFile(d, data);
                assertEquals(gatheredAt, Files.getLastModifiedTime(gathered).toInstant(),
                        "the late-data file carries the daemon's clock");
                assertEquals(2, filesOfCpu(data, "2025-01-20"), "compacted file and late-data file");

                // max-wait (12 h by default) later on the daemon's clock, the day is merged into one file again
                server.clock().advance(Duration.ofHours(12));
                server.writeAndPersist(1);
                d.await("merged again after max-wait", Duration.ofSeconds(60),
                        () -> filesOfCpu(data, "2025-01-20") == 1);
            }
            new RestartedServer().assertNoMissingFile(data, HOST, "after the merges");
            ServerOracle.assertSameResults(server.expectedRows(), new RestartedServer().rows(data, HOST),
                    "what a restarted server returns");
        }
    }

    /** A late file of table cpu: a point at {@code t}, a time no on-time point uses (a new key). */
    private static void lateNewKeys(LiveServer server, Instant t) {
        server.sim().write("db0", "cpu", List.of(new Row(Map.of("host", "host0", "dc", "eu"),
                Map.of("usage", 42.0), t.getEpochSecond() * 1_000_000_000L)));
        server.clock().advance(Duration.ofMinutes(10));
        server.sim().persistSnapshot();
    }

    /** Compactions in effect: a journal entry is there from the intent on, before the metadata is rewritten. */
    private static long compactions(TestDaemon d, boolean late) {
        return d.journal().stream().filter(e -> e.kind() == TxKind.COMPACT)
                .filter(e -> e.state() == TxState.KEPT || e.state() == TxState.RETIRED)
                .filter(e -> e.outputs().stream().anyMatch(o -> CompactedName.isLate(o.path()) == late)).count();
    }

    private static Path gatheredFile(TestDaemon d, Path data) {
        for (JournalEntry e : d.journal()) {
            for (var o : e.outputs()) {
                if (CompactedName.isLate(o.path())) {
                    return data.resolve(o.path());
                }
            }
        }
        throw new AssertionError("no late-data file in the journal");
    }

    /** Files a restarted server lists for table cpu (db0's first table) with chunks on {@code date}. */
    private static long filesOfCpu(Path data, String date) {
        String cpu = new ServerOracle().visibleFiles(data, HOST).keySet().stream().sorted().findFirst().orElseThrow();
        return new ServerOracle().visibleFiles(data, HOST).get(cpu).stream()
                .filter(f -> Instant.ofEpochSecond(0, f.chunkTime()).toString().startsWith(date)).count();
    }

    static {
        assertTrue(true);
    }
}
