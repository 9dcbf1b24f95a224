package io.kompactor.cli;

import io.kompactor.testing.DataDirAssertions;
import io.kompactor.testing.Fixtures;
import io.kompactor.testing.LateData;
import io.kompactor.testing.ServerOracle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Late data for a window that was already compacted: the server persists a new file (upserts with some nulls) in a
 * new snapshot; the next run merges it with the compacted file, and the answers equal those of a data dir that
 * was never compacted and got the same late file.
 */
class LateDataTest {
    static final String HOST = "node0";

    @TempDir
    Path tmp;

    @Test
    void lateUpsertsIntoACompactedWindowAreMergedInWriteOrder() throws Exception {
        Path pristine = Fixtures.copy("core-3.6", tmp.resolve("pristine"));
        Path compacted = Fixtures.copy("core-3.6", tmp.resolve("compacted"));
        CliRun first = CliRun.of("compact", compacted.toString(), "--hosts", HOST);
        assertEquals(0, first.exitCode(), first::toString);
        assertEquals(4, DataDirAssertions.parquetFileCount(compacted, HOST));

        // the late file repeats keys of an early file of table 0/1, with new values and a null field
        Path source;
        try (Stream<Path> s = Files.walk(pristine.resolve(HOST).resolve("dbs/0/1"))) {
            source = s.filter(p -> p.toString().endsWith(".parquet")).min(Comparator.naturalOrder()).orElseThrow();
        }
        for (Path dataDir : new Path[]{pristine, compacted}) {
            LateData.addLateSnapshot(dataDir, HOST, source);
        }
        var expected = new ServerOracle().load(pristine, HOST);
        CliRun second = CliRun.of("compact", compacted.toString(), "--hosts", HOST);
        assertEquals(0, second.exitCode(), second::toString);
        assertTrue(second.out().contains("2 files"), "the compacted file and the late file: " + second);
        ServerOracle.assertSameResults(expected, new ServerOracle().load(compacted, HOST), "late upserts lost or misordered");
        assertEquals(4, DataDirAssertions.parquetFileCount(compacted, HOST));
        assertEquals(0, CliRun.of("verify", compacted.toString(), "--hosts", HOST).exitCode());
    }
}
