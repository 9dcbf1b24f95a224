package io.kompactor.cli;

import io.kompactor.fs.SimulatedCrash;
import io.kompactor.testing.DataDirAssertions;
import io.kompactor.testing.Fixtures;
import io.kompactor.testing.ServerOracle;
import io.kompactor.testing.TableRows;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The journal names files relative to the data dir and the data dir by its UUID: a commit killed half way, the data
 * dir then moved (or reached through a symlink, as through a container's bind mount), and `recover` on the new path
 * finishes the job there and writes nothing anywhere else.
 */
class MovedDataDirTest {
    @TempDir
    Path tmp;

    @Test
    void killedCommitRecoveredAfterTheDataDirMoved() throws Exception {
        Path old = Fixtures.copy("core-3.9", tmp.resolve("old/data"));
        Map<String, TableRows> before = new ServerOracle().load(old, "node0");
        assertThrows(SimulatedCrash.class, () -> CliRun.of("compact", old.toString(), "--fault", "crash:55"));

        Path moved = tmp.resolve("new/data");
        Files.createDirectories(moved.getParent());
        Files.move(old, moved);
        Map<Path, String> outside = DataDirAssertions.tree(tmp.resolve("old"));
        CliRun rec = CliRun.of("recover", moved.toString());
        assertEquals(0, rec.exitCode(), rec::toString);
        assertTrue(rec.out().contains("rolled back"), rec::toString);
        DataDirAssertions.assertSameTree(outside, DataDirAssertions.tree(tmp.resolve("old")), "recover wrote outside");
        assertFalse(Files.exists(old), "the old path was not recreated");
        ServerOracle.assertSameResults(before, new ServerOracle().load(moved, "node0"), "after recovery on the new path");
        assertEquals(0, CliRun.of("verify", moved.toString()).exitCode());
        CliRun again = CliRun.of("compact", moved.toString());
        assertEquals(0, again.exitCode(), again::toString);
        ServerOracle.assertSameResults(before, new ServerOracle().load(moved, "node0"), "after compacting on the new path");
    }

    @Test
    void killedCommitRecoveredThroughASymlink() throws Exception {
        Path real = Fixtures.copy("core-3.9", tmp.resolve("real/data"));
        Map<String, TableRows> before = new ServerOracle().load(real, "node0");
        assertThrows(SimulatedCrash.class, () -> CliRun.of("compact", real.toString(), "--fault", "crash:60"));
        Path link = Files.createSymbolicLink(tmp.resolve("mount"), real);
        CliRun rec = CliRun.of("recover", link.toString());
        assertEquals(0, rec.exitCode(), rec::toString);
        ServerOracle.assertSameResults(before, new ServerOracle().load(real, "node0"), "after recovery through a link");
        assertEquals(0, CliRun.of("verify", real.toString()).exitCode());
        assertTrue(Files.isSymbolicLink(link), "the link itself untouched");
    }

    @Test
    void aJournalOfAnotherDataDirIsRefused() throws Exception {
        Path a = Fixtures.copy("core-3.6", tmp.resolve("a"));
        Path b = Fixtures.copy("core-3.6", tmp.resolve("b"));
        Path state = tmp.resolve("state");
        assertEquals(0, CliRun.of("compact", a.toString(), "--state-dir", state.toString()).exitCode());
        Map<Path, String> bBefore = DataDirAssertions.tree(b);
        CliRun wrong = CliRun.of("recover", b.toString(), "--state-dir", state.toString());
        assertEquals(2, wrong.exitCode(), wrong::toString);
        assertTrue(wrong.err().contains("belongs to another data dir"), wrong::toString);
        DataDirAssertions.assertSameTree(bBefore, DataDirAssertions.tree(b), "refused, and nothing written");
    }
}
