package io.kompactor.cli;

import io.kompactor.demo.DemoDataDir;
import io.kompactor.demo.DemoSpec;
import io.kompactor.testing.DataDirAssertions;
import io.kompactor.testing.ServerOracle;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Shapes the fixtures do not have: two hosts in one data dir, one with name-based (3.0–3.5) paths, a checkpoint and
 * a table index, the other id-based (3.6+) without either; data that spans midnight, so windows split a day.
 */
class GeneratedDataDirTest {
    @TempDir
    Path tmp;

    @ParameterizedTest(name = "window {0}h")
    @ValueSource(ints = {1, 24, 48})
    void severalHostsAndLayoutsKeepTheirAnswers(int window) {
        Path dataDir = tmp.resolve("d");
        long start = 1_737_843_000_000_000_000L; // 2025-01-25T22:10Z: 4 h of buckets cross midnight
        DemoDataDir.write(dataDir, DemoSpec.defaults("edge-a", start).withLayout(DemoSpec.Layout.CORE_30)
                .withMetadata(true, true).withSeed(7));
        DemoDataDir.write(dataDir, DemoSpec.defaults("edge-b", start).withMetadata(false, false)
                .withShape(1, 3, 30, 25).withSeed(8));
        ServerOracle oracle = new ServerOracle();
        Map<String, ?> a = oracle.load(dataDir, "edge-a");
        Map<String, ?> b = oracle.load(dataDir, "edge-b");

        CliRun run = CliRun.of("compact", dataDir.toString(), "--hosts", "edge-a,edge-b", "--window", "" + window);
        assertEquals(0, run.exitCode(), run::toString);
        assertEquals(a, oracle.load(dataDir, "edge-a"));
        assertEquals(b, oracle.load(dataDir, "edge-b"));
        CliRun verify = CliRun.of("verify", dataDir.toString());
        assertEquals(0, verify.exitCode(), verify::toString);
        assertTrue(verify.out().contains("edge-a") && verify.out().contains("edge-b"), verify::toString);

        // 4 h from 22:10 to 02:10: tables end with one file per window they touch
        int windowsPerTable = switch (window) {
            case 1 -> 5;
            case 6 -> 2;
            case 24 -> 2;
            default -> 2; // 48 h windows are aligned to the epoch: Jan 24-25 and Jan 26-27
        };
        assertEquals(4L * windowsPerTable, DataDirAssertions.parquetFileCount(dataDir, "edge-a"), run::toString);
        CliRun again = CliRun.of("compact", dataDir.toString(), "--window", "" + window);
        assertTrue(again.out().contains("nothing to compact"), again::toString);
    }
}
