package io.kompactor.cli;

import io.kompactor.commit.StateDir;
import io.kompactor.commit.Workspace;
import io.kompactor.fs.SimulatedCrash;
import io.kompactor.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What interrupted work leaves behind is reported by `verify` and removed by `recover`, never someone else's. */
class LeftoversTest {
    @TempDir
    Path tmp;

    @Test
    void verifyReportsAPendingTransactionAndRecoverCleansUp() throws Exception {
        Path data = Fixtures.copy("core-3.9", tmp.resolve("data"));
        assertThrows(SimulatedCrash.class, () -> CliRun.of("compact", data.toString(), "--fault", "crash:50"));
        StateDir state = StateDir.defaultFor(data);
        // an interrupted merge of a dead process, and backups of an attempt that never got its journal entry
        Path deadRun = Files.createDirectories(state.tmp().resolve("run-dead"));
        Files.write(deadRun.resolve("merge-1.parquet.inprogress"), new byte[1 << 20]);
        Files.createDirectories(deadRun.resolve("duckdb-spill"));
        Files.write(deadRun.resolve("duckdb-spill/duckdb_temp_1.tmp"), new byte[1 << 20]);
        Path strayBackup = Files.createDirectories(state.backup("20200101-000000-000-1-1").resolve("node0"));
        Files.writeString(strayBackup.resolve("x.json"), "{}");

        CliRun verify = CliRun.of("verify", data.toString());
        assertEquals(1, verify.exitCode(), verify::toString);
        assertTrue(verify.out().contains("PREPARED") && verify.out().contains("kompactor recover"), verify::toString);

        // a live process's scratch (locked) survives another process's recovery
        try (Workspace live = Workspace.forWriting(Workspace.Options.of(data, null, "live"))) {
            Path mine = live.scratch();
            Files.write(mine.resolve("merge-live.parquet.inprogress"), new byte[10]);
            CliRun rec = CliRun.of("recover", data.toString());
            assertEquals(0, rec.exitCode(), rec::toString);
            assertTrue(rec.out().contains("rolled back"), rec::toString);
            assertFalse(Files.exists(deadRun), "scratch of a dead process removed");
            assertFalse(Files.exists(state.backup("20200101-000000-000-1-1")), "unlisted backups removed");
            assertTrue(Files.exists(mine.resolve("merge-live.parquet.inprogress")), "a live merge is left alone");
        }
        assertEquals(0, CliRun.of("verify", data.toString()).exitCode());
    }
}
