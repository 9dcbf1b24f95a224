package io.kompactor.cli;

import io.kompactor.testing.DataDirAssertions;
import io.kompactor.testing.Fixtures;
import io.kompactor.testing.LateData;
import io.kompactor.testing.ServerOracle;
import io.kompactor.testing.TableRows;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The late-data policy (docs/operations.md, "Late data"): a compacted window is not rewritten for every late file.
 * One late file with new keys waits beside the compacted file; a second is gathered with it into one late-data file
 * (the compacted file untouched); a late file repeating keys makes the window merge again at once; so does late data
 * reaching the policy's share. At every step a restarted server returns exactly the rows written, none twice.
 */
class LatePolicyTest {
    private static final String HOST = "node0";

    @TempDir
    Path tmp;

    @Test
    void lateFilesWaitAreGatheredAndMergeWhenKeysRepeat() throws Exception {
        Path pristine = Fixtures.copy("core-3.6", tmp.resolve("pristine"));
        Path data = Fixtures.copy("core-3.6", tmp.resolve("data"));
        assertEquals(0, CliRun.of("compact", data.toString(), "--hosts", HOST).exitCode());
        List<Path> sources = table01Files(pristine);

        // one late file with new keys: it waits beside the compacted file (2 files, no key visible twice)
        late(pristine, data, sources.get(3), true);
        CliRun waits = CliRun.of("compact", data.toString(), "--hosts", HOST, "--verbose");
        assertEquals(0, waits.exitCode(), waits::toString);
        assertTrue(waits.out().contains("nothing to compact") && waits.out().contains("1 late file beside the compacted one wait"),
                waits::toString);
        assertEquals(2, visible(data, "0/1"));
        sameRows(pristine, data);
        assertEquals(0, CliRun.of("verify", data.toString(), "--strict").exitCode(), "no key visible twice");

        // a second: both are gathered into one late-data file, the compacted file is left as it is
        Path compacted = compactedFile(data, "0/1/");
        long compactedMtime = Files.getLastModifiedTime(compacted).toMillis();
        late(pristine, data, sources.get(5), true);
        CliRun gather = CliRun.of("compact", data.toString(), "--hosts", HOST);
        assertEquals(0, gather.exitCode(), gather::toString);
        assertTrue(gather.out().contains("2 files, 30 rows"), "only the two late files are read: " + gather);
        assertEquals(2, visible(data, "0/1"));
        assertTrue(Files.exists(compacted) && Files.getLastModifiedTime(compacted).toMillis() == compactedMtime,
                "the compacted file was not rewritten");
        assertTrue(new ServerOracle().visibleFiles(data, HOST).get("0/1").stream()
                .anyMatch(f -> f.path().contains("kompacted-late-")), "a late-data file");
        sameRows(pristine, data);
        assertEquals(0, CliRun.of("verify", data.toString(), "--strict").exitCode());

        // a late file repeating keys (upserts): merged with everything at once, one file again
        late(pristine, data, sources.get(7), false);
        CliRun merge = CliRun.of("compact", data.toString(), "--hosts", HOST);
        assertEquals(0, merge.exitCode(), merge::toString);
        assertEquals(1, visible(data, "0/1"));
        sameRows(pristine, data);

        // with a policy that merges at any late data, a new-key late file is merged at once too
        late(pristine, data, sources.get(9), true);
        CliRun eager = CliRun.of("compact", data.toString(), "--hosts", HOST, "--policy", "0/1:late.max-share=0");
        assertEquals(0, eager.exitCode(), eager::toString);
        assertEquals(1, visible(data, "0/1"));
        sameRows(pristine, data);
        assertEquals(0, CliRun.of("verify", data.toString(), "--strict").exitCode());
    }

    private static void late(Path pristine, Path data, Path source, boolean newKeys) throws Exception {
        LateData.addLateSnapshot(pristine, HOST, source, newKeys);
        LateData.addLateSnapshot(data, HOST, source, newKeys);
    }

    private static void sameRows(Path pristine, Path data) {
        Map<String, TableRows> expected = new ServerOracle().load(pristine, HOST);
        ServerOracle.assertSameResults(expected, new ServerOracle().load(data, HOST), "rows after the late data");
    }

    private static long visible(Path data, String table) {
        return new ServerOracle().visibleFiles(data, HOST).get(table).size();
    }

    private static List<Path> table01Files(Path pristine) throws Exception {
        try (Stream<Path> s = Files.walk(pristine.resolve(HOST).resolve("dbs/0/1"))) {
            return s.filter(p -> p.toString().endsWith(".parquet")).sorted(Comparator.naturalOrder()).toList();
        }
    }

    private static Path compactedFile(Path data, String tableDir) throws Exception {
        try (Stream<Path> s = Files.walk(data.resolve(HOST).resolve("dbs"))) {
            return s.filter(p -> p.toString().contains("/dbs/" + tableDir) && p.getFileName().toString()
                    .startsWith("kompacted-")).findFirst().orElseThrow();
        }
    }
}
