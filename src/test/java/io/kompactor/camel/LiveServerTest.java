package io.kompactor.camel;

import io.kompactor.cli.CliRun;
import io.kompactor.commit.JournalEntry;
import io.kompactor.commit.TxKind;
import io.kompactor.commit.TxState;
import io.kompactor.snapshot.ParquetFileEntry;
import io.kompactor.testing.LiveServer;
import io.kompactor.testing.RestartedServer;
import io.kompactor.testing.ServerOracle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static io.kompactor.testing.LiveServer.HOST;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The daemon beside a live server (the simulator, docs/operations.md, "Beside a live server"): the server keeps
 * writing snapshots, writes checkpoints and table indexes from its memory after our commits, and restarts; what a
 * restarted server returns is always what was written, no listed file is ever missing, nothing is compacted twice,
 * and originals are retired only once no reader can need them.
 */
class LiveServerTest {
    @TempDir
    Path tmp;

    @Test
    void checkpointsWrittenFromMemoryAfterOurCommitsAreReconciledThenTheRestartReadsOnlyCompactedFiles() throws Exception {
        Path data = tmp.resolve("data");
        // 3.9 server with --checkpoint-interval 30m, near the end of January: a month rollover comes during the test
        try (LiveServer server = LiveServer.start(data, Instant.parse("2025-01-31T22:00:00Z"),
                LiveServer.options().checkpointInterval(Duration.ofMinutes(30)))) {
            server.writeAndPersist(6);
            String url = server.sim().url().toString();
            try (TestDaemon d = TestDaemon.start(TestDaemon.app(data).override("kompactor.influxdb.url", url)
                    .override("kompactor.influxdb.check-interval-ms", "3600000"), Map.of())) {
                d.await("both tables compacted", Duration.ofSeconds(60), () -> compactions(d) >= 2);
                // the server goes on: new snapshots, its cached January checkpoint (listing the originals again) at
                // the rollover, and February's at the interval
                server.writeAndPersist(4);
                assertTrue(Files.isDirectory(data.resolve(HOST).resolve("snapshot-checkpoints/2025-01")));
                d.await("the checkpoints the server wrote from memory are reconciled", Duration.ofSeconds(60),
                        () -> reconciled(d) && noInputListed(d, data) && nothingLeftToPlan(d, data));
                // the server restarts: it loads the reconciled checkpoint and reads only the compacted files
                server.sim().restart();
                Set<String> listedByServer = server.sim().persistedFiles().allFiles().stream()
                        .map(f -> f.path()).collect(Collectors.toCollection(TreeSet::new));
                for (JournalEntry e : compacted(d)) {
                    e.outputs().forEach(o -> assertTrue(listedByServer.contains(o.path()) || consumedLater(d, o),
                            "the restarted server lists " + o.path()));
                    e.inputs().forEach(i -> assertFalse(listedByServer.contains(i.path()), "still listed: " + i.path()));
                }
                // a restart after the last unlisting: the daemon's retirer retires every original
                RetirerBean retirer = d.context().getRegistry().lookupByNameAndType("retirer", RetirerBean.class);
                List<String> retired = retirer.retireUnlisted();
                assertFalse(retired.isEmpty(), "retired after the restart");
                for (JournalEntry e : compacted(d)) {
                    e.inputs().forEach(i -> assertFalse(Files.exists(data.resolve(i.path())), "retired: " + i.path()));
                }
                assertNothingCompactedTwice(d);
            }
            assertServerSees(server, data);
            CliRun verify = CliRun.of("verify", data.toString());
            assertEquals(0, verify.exitCode(), verify::toString); // the checkpoints agree with the snapshots
        }
    }

    @Test
    void aServerRestartingBeforeTheDaemonReactsLosesNothing() throws Exception {
        Path data = tmp.resolve("data");
        try (LiveServer server = LiveServer.start(data, Instant.parse("2025-01-31T22:00:00Z"),
                LiveServer.options().checkpointInterval(Duration.ofMinutes(30)))) {
            server.writeAndPersist(6);
            String url = server.sim().url().toString();
            try (TestDaemon d = TestDaemon.start(TestDaemon.app(data).override("kompactor.influxdb.url", url), Map.of())) {
                d.await("both tables compacted", Duration.ofSeconds(60), () -> compactions(d) >= 2);
            }
            // while the daemon is down: the server writes its checkpoint from memory (the originals) and restarts
            server.writeAndPersist(4);
            server.sim().restart();
            assertServerSees(server, data);
            // gc beside it: the checkpoint lists the originals, so none may go, even with a restart since the commit
            CliRun gc = CliRun.of("gc", data.toString(), "--url", url, "--restarted-at", "2100-01-01T00:00:00Z");
            assertEquals(0, gc.exitCode(), gc::toString);
            assertTrue(gc.out().contains("still listed by " + HOST + "/snapshot-checkpoints/"), gc::toString);
            new RestartedServer().assertNoMissingFile(data, HOST, "after gc");
            assertServerSees(server, data);

            // the daemon catches up: reconciles, and once the server restarted again the originals can go
            try (TestDaemon d = TestDaemon.start(TestDaemon.app(data).override("kompactor.influxdb.url", url), Map.of())) {
                d.await("reconciled after the catch-up", Duration.ofSeconds(60), () -> reconciled(d)
                        && noInputListed(d, data));
                server.sim().restart();
                RetirerBean retirer = d.context().getRegistry().lookupByNameAndType("retirer", RetirerBean.class);
                assertFalse(retirer.retireUnlisted().isEmpty());
                assertNothingCompactedTwice(d);
            }
            assertServerSees(server, data);
        }
    }

    @Test
    void gcBesideARunningServerRetiresNothing() throws Exception {
        Path data = tmp.resolve("data");
        try (LiveServer server = LiveServer.start(data, Instant.parse("2025-01-20T00:00:00Z"), LiveServer.options())) {
            server.writeAndPersist(6);
            String url = server.sim().url().toString();
            try (TestDaemon d = TestDaemon.start(TestDaemon.app(data).override("kompactor.influxdb.url", url), Map.of())) {
                d.await("both tables compacted", Duration.ofSeconds(60), () -> compactions(d) >= 2);
            }
            CliRun gc = CliRun.of("gc", data.toString(), "--url", url);
            assertEquals(0, gc.exitCode(), gc::toString);
            assertTrue(gc.out().contains("still running"), gc::toString);
            long originals = server.sim().persistedFiles().allFiles().size();
            assertTrue(originals > 2, "the running server still reads its originals");
            server.sim().persistedFiles().allFiles().forEach(f -> assertTrue(Files.exists(data.resolve(f.path())), f.path()));
            CliRun none = CliRun.of("gc", data.toString());
            assertTrue(none.out().contains("retired nothing"), none::toString);
        }
    }

    @Test
    void theIndexRewrittenByRetentionIsReconciledAndRetentionDeletesOnlyExpiredFiles() throws Exception {
        Path data = tmp.resolve("data");
        try (LiveServer server = LiveServer.start(data, Instant.parse("2025-01-20T00:00:00Z"),
                LiveServer.options().retention(Duration.ofDays(3), null))) {
            server.writeAndPersist(6);
            String url = server.sim().url().toString();
            try (TestDaemon d = TestDaemon.start(TestDaemon.app(data).override("kompactor.influxdb.url", url), Map.of())) {
                d.await("both tables compacted", Duration.ofSeconds(60), () -> compactions(d) >= 2);
                // a retention pass a day later: the server writes its cached index back, listing the originals
                server.clock().advance(Duration.ofDays(1));
                server.sim().retentionPass(server.clock().get());
                d.await("the rewritten index is reconciled", Duration.ofSeconds(60), () -> noInputListed(d, data));
                Set<String> indexed = indexed(data);
                compacted(d).forEach(e -> e.outputs().forEach(o -> assertTrue(indexed.contains(o.path()), o.path())));
                // past the retention: the server deletes by the index, i.e. the compacted files, and nothing listed
                server.clock().advance(Duration.ofDays(5));
                server.writeAndPersist(1);
                server.sim().retentionPass(server.clock().get());
                compacted(d).forEach(e -> e.outputs().forEach(o -> assertFalse(Files.exists(data.resolve(o.path())),
                        "expired compacted file deleted by retention: " + o.path())));
            }
            // Missing now: only what retention expired and deleted (the server lists such files after a restart too,
            // until its next snapshot prunes them again: docs/format.md, "removed_files and the newest-first fold").
            // Nothing still needed is gone.
            long cutoff = (server.clock().get().getEpochSecond() - Duration.ofDays(3).toSeconds()) * 1_000_000_000L;
            new RestartedServer().missingFiles(data, HOST).forEach(f -> assertTrue(f.maxTime() < cutoff,
                    "a file retention did not expire is missing: " + f.path()));
        }
    }

    // -----------------------------------------------------------------------------------------------------------

    private static long compactions(TestDaemon d) {
        return compacted(d).size();
    }

    private static List<JournalEntry> compacted(TestDaemon d) {
        return d.journal().stream().filter(e -> e.kind() == TxKind.COMPACT)
                .filter(e -> e.state() == TxState.KEPT || e.state() == TxState.RETIRED).toList();
    }

    private static boolean reconciled(TestDaemon d) {
        return d.journal().stream().anyMatch(e -> e.kind() == TxKind.RECONCILE && e.state() == TxState.DONE);
    }

    /**
     * The daemon has compacted everything there is (the late data of the last snapshots too): a compaction committed
     * after the server's restart would unlist its inputs after it, and those rightly wait for the next restart.
     */
    private static boolean nothingLeftToPlan(TestDaemon d, Path data) {
        try {
            return d.runtime().planner().plan(io.kompactor.snapshot.HostMetadata.load(data, HOST)).plans().isEmpty();
        } catch (RuntimeException e) {
            return false; // a file being written
        }
    }

    /** No metadata file on disk lists an input of a committed compaction. */
    private static boolean noInputListed(TestDaemon d, Path data) {
        Set<Long> inputs = new java.util.HashSet<>();
        compacted(d).forEach(e -> e.inputs().forEach(i -> inputs.add(i.id())));
        io.kompactor.snapshot.HostMetadata m;
        try {
            m = io.kompactor.snapshot.HostMetadata.load(data, HOST);
        } catch (RuntimeException e) {
            return false; // a file being written
        }
        return m.allDocs().stream().noneMatch(doc -> doc.listsAny(inputs));
    }

    private static boolean consumedLater(TestDaemon d, ParquetFileEntry output) {
        return d.journal().stream().anyMatch(e -> e.kind() == TxKind.COMPACT && e.inputs().stream()
                .anyMatch(i -> i.id() == output.id()));
    }

    /** Every file is an input of at most one compaction that stayed in effect. */
    private static void assertNothingCompactedTwice(TestDaemon d) {
        Map<Long, String> by = new HashMap<>();
        for (JournalEntry e : compacted(d)) {
            for (ParquetFileEntry i : e.inputs()) {
                String prev = by.put(i.id(), e.tx());
                assertTrue(prev == null, i.path() + " compacted twice: " + prev + " and " + e.tx());
            }
        }
    }

    private static Set<String> indexed(Path data) {
        Set<String> out = new TreeSet<>();
        io.kompactor.snapshot.HostMetadata.load(data, HOST).tableIndices()
                .forEach(doc -> doc.allFiles().forEach(f -> out.add(f.path())));
        return out;
    }

    /** A restart now returns exactly what was ever written, with no listed file missing. */
    private static void assertServerSees(LiveServer server, Path data) {
        RestartedServer restarted = new RestartedServer();
        restarted.assertNoMissingFile(data, HOST, "a restarted server");
        ServerOracle.assertSameResults(server.expectedRows(), restarted.rows(data, HOST), "what a restarted server returns");
    }
}
