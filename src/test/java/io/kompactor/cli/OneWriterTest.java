package io.kompactor.cli;

import io.kompactor.commit.Workspace;
import io.kompactor.testing.DataDirAssertions;
import io.kompactor.testing.Fixtures;
import io.kompactor.testing.ServerOracle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One writer at a time per data dir, whatever state dir each uses: one journal per data dir (the marker at its root
 * names the state dir that owns it), one lock at its root, and every writer waits for it or gives up naming the holder.
 */
class OneWriterTest {
    @TempDir
    Path tmp;

    @Test
    void aSecondStateDirIsRefusedAndTheDefaultFollowsTheMarker() {
        Path data = Fixtures.copy("core-3.6", tmp.resolve("data"));
        Path daemonState = tmp.resolve("daemon-state");
        CliRun first = CliRun.of("compact", data.toString(), "--state-dir", daemonState.toString());
        assertEquals(0, first.exitCode(), first::toString);
        assertTrue(Files.isRegularFile(data.resolve(Workspace.MARKER)));

        Map<Path, String> before = DataDirAssertions.serverTree(data);
        CliRun other = CliRun.of("compact", data.toString(), "--state-dir", tmp.resolve("other").toString());
        assertEquals(2, other.exitCode(), other::toString);
        assertTrue(other.err().contains("owned by state dir " + daemonState), other::toString);
        assertTrue(other.err().lines().count() <= 2, "one line: " + other);
        assertFalse(Files.exists(tmp.resolve("other").resolve("journal")), "no second journal");
        DataDirAssertions.assertSameTree(before, DataDirAssertions.serverTree(data), "a refused writer changed the data dir");

        // without --state-dir a command finds the owner through the marker
        CliRun list = CliRun.of("rollback", data.toString());
        assertTrue(list.out().contains("RETIRED"), list::toString);
        assertEquals(0, CliRun.of("verify", data.toString()).exitCode());
        assertFalse(Files.exists(data.resolve(".kompactor")), "the default state dir was not created");
    }

    @Test
    void aWriterWaitsForTheLockOrGivesUpNamingTheHolder() throws Exception {
        Path data = Fixtures.copy("core-3.9", tmp.resolve("data"));
        assertEquals(0, CliRun.of("compact", data.toString(), "--keep-originals").exitCode());
        String tx = CliRun.of("rollback", data.toString()).out().lines().skip(1).findFirst().orElseThrow().split(" ")[0];
        var results = new ServerOracle().load(data, "node0");

        // a rollback holds the lock: gc (another state dir would not help either) gives up after --wait, exit 2
        try (Workspace ws = Workspace.forWriting(Workspace.Options.of(data, null, "rollback"));
             Workspace.DataDirLock held = ws.lock("rollback " + tx)) {
            CliRun gc = CliRun.of("gc", data.toString(), "--wait", "1s", "--restarted-at", "2100-01-01T00:00:00Z",
                    "--retention", "0");
            assertEquals(2, gc.exitCode(), gc::toString);
            assertTrue(gc.err().contains("kompactor rollback") && gc.err().contains("pid "), "names the holder: " + gc);
            assertThrows(io.kompactor.commit.SetupException.class, () -> Workspace.forWriting(Workspace.Options.of(data,
                    tmp.resolve("elsewhere"), "compact").withLockWait(Duration.ofMillis(200))));
        }
        // once it is free, gc runs; then the rollback; nothing listed is missing, results unchanged
        Thread gcLater = new Thread(() -> CliRun.of("gc", data.toString(), "--restarted-at", "2100-01-01T00:00:00Z",
                "--retention", "0"));
        CliRun rollback;
        try (Workspace ws = Workspace.forWriting(Workspace.Options.of(data, null, "test"));
             Workspace.DataDirLock held = ws.lock("test")) {
            gcLater.start();
            Thread.sleep(300); // gc is now waiting for the lock (it waits up to 30 s by default)
            assertTrue(gcLater.isAlive(), "gc waits while another writer holds the lock");
        }
        gcLater.join(60_000);
        rollback = CliRun.of("rollback", data.toString(), tx);
        assertEquals(1, rollback.exitCode(), "the originals were purged by gc: the rollback is refused cleanly " + rollback);
        assertTrue(rollback.err().contains("purged"), rollback::toString);
        ServerOracle.assertSameResults(results, new ServerOracle().load(data, "node0"), "gc beside a rollback");
        assertEquals(0, CliRun.of("verify", data.toString()).exitCode());
    }

    @Test
    void readOnlyCommandsWriteNothing() {
        Path data = Fixtures.copy("core-3.9", tmp.resolve("data"));
        Map<Path, String> before = DataDirAssertions.tree(data);
        assertEquals(0, CliRun.of("verify", data.toString()).exitCode());
        assertEquals(0, CliRun.of("rollback", data.toString()).exitCode());
        assertEquals(0, CliRun.of("compact", data.toString(), "--dry-run").exitCode());
        assertEquals(0, CliRun.of("dead-letters", "list", data.toString()).exitCode());
        DataDirAssertions.assertSameTree(before, DataDirAssertions.tree(data), "a read-only command wrote");
    }
}
