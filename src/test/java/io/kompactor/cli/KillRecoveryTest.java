package io.kompactor.cli;

import io.kompactor.commit.CommitStep;
import io.kompactor.testing.DataDirAssertions;
import io.kompactor.testing.Fixtures;
import io.kompactor.testing.ServerOracle;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real thing: a separate JVM is halted (as by kill -9: no finally block, no shutdown hook) in the middle of a
 * commit, then a new run recovers. Complements {@link CrashRecoveryTest}, which stops the commit in-process.
 */
class KillRecoveryTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @EnumSource(value = CommitStep.class, names = {"FIRST_DOCUMENT_REWRITTEN", "CHECKPOINTS_REWRITTEN", "COMMITTED"})
    void haltedMidCommitThenRestart(CommitStep step) throws IOException, InterruptedException {
        Path dataDir = Fixtures.copy("core-3.9", tmp.resolve("d"));
        var before = new ServerOracle().load(dataDir, "node0");

        // DuckDB unpacks its native library into java.io.tmpdir and a halted JVM leaves it there: keep it in @TempDir.
        Process p = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.io.tmpdir=" + tmp, "-cp", System.getProperty("java.class.path"), KompactorCli.class.getName(),
                "compact", dataDir.toString(), "--hosts", "node0", "--halt-at", step.name()))
                .redirectErrorStream(true).redirectOutput(tmp.resolve("halted.log").toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "halted run did not end");
        assertEquals(137, p.exitValue(), "the JVM was halted mid-commit");

        CliRun restart = CliRun.of("compact", dataDir.toString(), "--hosts", "node0");
        assertEquals(0, restart.exitCode(), restart::toString);
        assertTrue(restart.out().contains("recovered"), restart::toString);
        ServerOracle.assertSameResults(before, new ServerOracle().load(dataDir, "node0"), "after a kill at " + step);
        assertEquals(0, CliRun.of("verify", dataDir.toString(), "--hosts", "node0").exitCode());
        assertEquals(2, DataDirAssertions.parquetFileCount(dataDir, "node0"));
    }
}
