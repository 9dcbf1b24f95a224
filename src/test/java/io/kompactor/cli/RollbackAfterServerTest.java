package io.kompactor.cli;

import io.kompactor.simulator.InfluxDb3Simulator;
import io.kompactor.simulator.SimulatorOptions;
import io.kompactor.testing.Fixtures;
import io.kompactor.testing.RestartedServer;
import io.kompactor.testing.ServerOracle;
import io.kompactor.testing.TableRows;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A rollback sees every metadata file: after the compaction a 3.9 server started and built checkpoints from the
 * rewritten snapshots (they list the compacted files); the rollback edits those checkpoints too, so no file a
 * restarted server lists is missing and the results stay the same.
 */
class RollbackAfterServerTest {
    @TempDir
    Path tmp;

    @Test
    void rollbackEditsCheckpointsTheServerBuiltFromTheRewrittenSnapshots() throws Exception {
        Path data = Fixtures.copy("core-3.6", tmp.resolve("data"));
        Map<String, TableRows> before = new ServerOracle().load(data, "node0");
        assertEquals(0, CliRun.of("compact", data.toString()).exitCode());
        try (InfluxDb3Simulator sim = InfluxDb3Simulator.start(data, SimulatorOptions.builder("node0").http(false).build(),
                () -> Instant.parse("2025-01-27T00:00:00Z"))) {
            assertEquals(1, sim.checkpointsWrittenAtStart().size(), "the server built its checkpoint at start");
            sim.stop();
        }
        Path checkpoint;
        try (var s = Files.walk(data.resolve("node0/snapshot-checkpoints"))) {
            checkpoint = s.filter(p -> p.toString().endsWith(".checkpoint.json")).findFirst().orElseThrow();
        }
        assertTrue(Files.readString(checkpoint).contains("kompacted-"), "the checkpoint lists the compacted files");

        String first = CliRun.of("rollback", data.toString()).out().lines().skip(1).findFirst().orElseThrow().split(" ")[0];
        CliRun undo = CliRun.of("rollback", data.toString(), first, "--and-later");
        assertEquals(0, undo.exitCode(), undo::toString);
        new RestartedServer().assertNoMissingFile(data, "node0", "after the rollback");
        ServerOracle.assertSameResults(before, new ServerOracle().load(data, "node0"), "after the rollback");
        assertTrue(!Files.readString(checkpoint).contains("kompacted-"), "the checkpoint lists the originals again");
        assertEquals(0, CliRun.of("verify", data.toString()).exitCode());
    }
}
