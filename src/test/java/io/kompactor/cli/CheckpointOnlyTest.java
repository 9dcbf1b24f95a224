package io.kompactor.cli;

import io.kompactor.snapshot.Snapshot;
import io.kompactor.testing.DataDirAssertions;
import io.kompactor.testing.Fixtures;
import io.kompactor.testing.ServerOracle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Files that only a checkpoint still lists (their snapshots are gone): the server loads them from the checkpoint,
 * so they are compacted like any other, and the compacted entry goes into the checkpoint.
 */
class CheckpointOnlyTest {
    @TempDir
    Path tmp;

    @Test
    void filesListedOnlyByTheCheckpointAreCompactedInIt() throws IOException {
        Path dataDir = Fixtures.copy("core-3.9", tmp.resolve("d"));
        try (Stream<Path> s = Files.list(dataDir.resolve("node0/snapshots"))) {
            for (Path p : s.toList()) {
                if (Snapshot.read(p).sequence() <= 11) { // covered by the checkpoint
                    Files.delete(p);
                }
            }
        }
        var before = new ServerOracle().load(dataDir, "node0");
        assertEquals(0, CliRun.of("verify", dataDir.toString()).exitCode(), "a checkpoint-only file is legitimate");

        CliRun run = CliRun.of("compact", dataDir.toString(), "--window", "1");
        assertEquals(0, run.exitCode(), run::toString);
        ServerOracle.assertSameResults(before, new ServerOracle().load(dataDir, "node0"), "results changed");
        CliRun verify = CliRun.of("verify", dataDir.toString());
        assertEquals(0, verify.exitCode(), verify::toString);
        // 00:00 to 03:10 in hourly windows, two tables
        assertEquals(8, DataDirAssertions.parquetFileCount(dataDir, "node0"), run::toString);
    }
}
