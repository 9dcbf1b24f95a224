package io.kompactor.cli;

import io.kompactor.testing.DataDirAssertions;
import io.kompactor.testing.Fixtures;
import io.kompactor.testing.ServerOracle;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real thing: a separate JVM is halted (as by kill -9: no finally block, no shutdown hook) at a chosen file change
 * of a commit, then `recover` and a new run. Complements the exhaustive in-process fault tests.
 */
class KillRecoveryTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(ints = {3, 12, 25})
    void haltedMidCommitThenRecover(int change) throws IOException, InterruptedException {
        Path dataDir = Fixtures.copy("core-3.9", tmp.resolve("d"));
        var before = new ServerOracle().load(dataDir, "node0");

        Process p = new ProcessBuilder(CliRun.javaCommand(tmp, "compact", dataDir.toString(), "--hosts", "node0",
                "--fault", "halt:" + change))
                .redirectErrorStream(true).redirectOutput(tmp.resolve("halted.log").toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "halted run did not end");
        assertEquals(137, p.exitValue(), "the JVM was halted at change " + change);

        CliRun recover = CliRun.of("recover", dataDir.toString());
        assertEquals(0, recover.exitCode(), recover::toString);
        ServerOracle.assertSameResults(before, new ServerOracle().load(dataDir, "node0"), "after a kill at " + change);
        CliRun restart = CliRun.of("compact", dataDir.toString(), "--hosts", "node0");
        assertEquals(0, restart.exitCode(), restart::toString);
        ServerOracle.assertSameResults(before, new ServerOracle().load(dataDir, "node0"), "after the restart");
        CliRun verify = CliRun.of("verify", dataDir.toString(), "--hosts", "node0");
        assertEquals(0, verify.exitCode(), verify::toString);
        assertEquals(2, DataDirAssertions.parquetFileCount(dataDir, "node0"));
    }
}
