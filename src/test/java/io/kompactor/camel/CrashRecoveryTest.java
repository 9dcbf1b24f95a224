package io.kompactor.camel;

import io.kompactor.commit.TxState;
import io.kompactor.fs.FaultHook;
import io.kompactor.fs.FileOp;
import io.kompactor.fs.SimulatedCrash;
import io.kompactor.testing.Fixtures;
import io.kompactor.testing.ServerOracle;
import io.kompactor.testing.TableRows;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The process stops in the middle of a commit; the next start recovers, then catches up: nothing lost. */
class CrashRecoveryTest {
    @TempDir
    Path tmp;

    @Test
    void stopMidCommitThenRecoveryAndCatchUp() throws Exception {
        Path data = Fixtures.copy("core-3.6", tmp.resolve("data"));
        Map<String, TableRows> expected = new ServerOracle().load(data, "node0");
        CountDownLatch reached = new CountDownLatch(1);
        CountDownLatch kill = new CountDownLatch(1);
        AtomicBoolean armed = new AtomicBoolean(true);
        AtomicBoolean dead = new AtomicBoolean();
        FaultHook hook = (op, path) -> {
            if (dead.get()) {
                throw new SimulatedCrash(op + " " + path); // the process is gone: nothing after the kill happens
            }
            if (op == FileOp.WRITE && path.startsWith(data.resolve("node0/snapshots")) && armed.getAndSet(false)) {
                dead.set(true);
                reached.countDown();
                try {
                    kill.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw new SimulatedCrash(op + " " + path); // dies here, as a kill would: no cleanup
            }
        };
        TestDaemon d = TestDaemon.start(TestDaemon.app(data).override("camel.main.shutdown-timeout", "1"),
                Map.of("faultHook", hook));
        assertTrue(reached.await(60, TimeUnit.SECONDS), "a commit reached its first rewrite");
        CompletableFuture<Void> stopping = CompletableFuture.runAsync(() -> {
            try {
                d.close();
            } catch (SimulatedCrash gone) {
                // stopping a process that is already dead: its clean-up cannot run either
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        d.awaitStopping(Duration.ofSeconds(30)); // the shutdown has begun while the commit is stuck
        kill.countDown();
        stopping.get(60, TimeUnit.SECONDS);
        assertEquals(1, d.count(TxState.PREPARED), "the interrupted transaction is left PREPARED, as after a kill");
        String interrupted = d.journal().stream().filter(e -> e.state() == TxState.PREPARED).findFirst().orElseThrow().tx();
        assertTrue(new java.io.File(data.resolve(".kompactor/dead-letter").toString()).list().length == 0,
                "an interrupted plan is not a dead letter");

        try (TestDaemon again = TestDaemon.start(data)) {
            again.await("recovery then catch-up compacts all 4 tables", Duration.ofSeconds(60),
                    () -> again.count(TxState.KEPT) == 4);
            assertEquals(TxState.ROLLED_BACK, again.journal().stream().filter(e -> e.tx().equals(interrupted)).findFirst()
                    .orElseThrow().state(), "recovery rolled the interrupted commit back");
            assertEquals(0, again.count(TxState.PREPARED));
        }
        ServerOracle.assertSameResults(expected, new ServerOracle().load(data, "node0"), "data lost or changed");
        assertTrue(new ServerOracle().visibleFiles(data, "node0").values().stream().allMatch(l -> l.size() == 1));
    }
}
