package io.kompactor.cli;

import io.kompactor.commit.CommitStep;
import io.kompactor.commit.SimulatedCrash;
import io.kompactor.testing.DataDirAssertions;
import io.kompactor.testing.Fixtures;
import io.kompactor.testing.ServerOracle;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A crash after each step of the commit, then a restart: recovery rolls back or forward, the data dir verifies,
 * the query results are what they were, and the compaction completes. core-3.9 has snapshots, a checkpoint and a
 * table index, so every kind of document is rewritten.
 */
class CrashRecoveryTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @EnumSource(CommitStep.class)
    void crashAtEachStepThenRestart(CommitStep step) {
        Path dataDir = Fixtures.copy("core-3.9", tmp.resolve("d"));
        ServerOracle oracle = new ServerOracle();
        var before = oracle.load(dataDir, "node0");

        assertThrows(SimulatedCrash.class,
                () -> CliRun.of("compact", dataDir.toString(), "--hosts", "node0", "--crash-at", step.name()));

        CliRun restart = CliRun.of("compact", dataDir.toString(), "--hosts", "node0");
        assertEquals(0, restart.exitCode(), restart::toString);
        assertTrue(restart.out().contains("recovered"), restart::toString);
        assertEquals(before, oracle.load(dataDir, "node0"), "query results changed after crash at " + step);
        CliRun verify = CliRun.of("verify", dataDir.toString(), "--hosts", "node0");
        assertEquals(0, verify.exitCode(), verify::toString);
        assertEquals(2, DataDirAssertions.parquetFileCount(dataDir, "node0"), "one file per table after the restart");
    }
}
