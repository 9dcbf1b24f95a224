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
            // a bucket after the window's first: the compacted file's partition is the window start, so late rows of
            // that first bucket are de-duplicated by the server anyway; these are not until the next compaction
            source = s.filter(p -> p.toString().endsWith(".parquet")).sorted(Comparator.naturalOrder()).skip(2)
                    .findFirst().orElseThrow();
        }
        for (Path dataDir : new Path[]{pristine, compacted}) {
            LateData.addLateSnapshot(dataDir, HOST, source);
        }
        var expected = new ServerOracle().load(pristine, HOST);
        // until the next run the late upserts sit in another partition than the compacted file: rows show twice
        CliRun warned = CliRun.of("verify", compacted.toString(), "--hosts", HOST);
        assertEquals(0, warned.exitCode(), warned::toString);
        assertTrue(warned.out().contains("WARNING node0: table 0/1: 15 keys") && warned.out().contains("twice"),
                warned::toString);
        assertEquals(1, CliRun.of("verify", compacted.toString(), "--hosts", HOST, "--strict").exitCode());
        CliRun second = CliRun.of("compact", compacted.toString(), "--hosts", HOST);
        assertEquals(0, second.exitCode(), second::toString);
        assertTrue(second.out().contains("2 files"), "the compacted file and the late file: " + second);
        ServerOracle.assertSameResults(expected, new ServerOracle().load(compacted, HOST), "late upserts lost or misordered");
        assertEquals(4, DataDirAssertions.parquetFileCount(compacted, HOST));
        CliRun clean = CliRun.of("verify", compacted.toString(), "--hosts", HOST, "--strict");
        assertEquals(0, clean.exitCode(), clean::toString);
        assertTrue(!clean.out().contains("WARNING"), clean::toString);
    }
}
