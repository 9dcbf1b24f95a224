package io.kompactor.cli;

import io.kompactor.testing.DataDirAssertions;
import io.kompactor.testing.Fixtures;
import io.kompactor.testing.LateData;
import io.kompactor.testing.ServerOracle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * `rollback` restores a compacted data dir to the byte; it undoes one transaction without touching later work in the
 * same files, refuses while a later compaction holds its outputs, and is a no-op when repeated.
 */
class RollbackTest {
    @TempDir
    Path tmp;

    @Test
    void rollbackRestoresEveryMetadataFileAndOriginal() {
        Path dataDir = Fixtures.copy("core-3.9", tmp.resolve("d"));
        Map<Path, String> before = DataDirAssertions.serverTree(dataDir);
        var results = new ServerOracle().load(dataDir, "node0");
        assertEquals(0, CliRun.of("compact", dataDir.toString()).exitCode());

        CliRun list = CliRun.of("rollback", dataDir.toString());
        List<String> txs = list.out().lines().skip(1).filter(l -> l.contains("RETIRED")).map(l -> l.split(" ")[0]).toList();
        assertEquals(2, txs.size(), list::toString);
        assertTrue(list.out().startsWith("TX "), "a header: " + list);

        // the first transaction alone: the second one (another table, same snapshots) stays in effect
        CliRun first = CliRun.of("rollback", dataDir.toString(), txs.get(0));
        assertEquals(0, first.exitCode(), first::toString);
        assertEquals(results, new ServerOracle().load(dataDir, "node0"), "results after undoing one of two");
        assertEquals(0, CliRun.of("verify", dataDir.toString()).exitCode());
        CliRun again = CliRun.of("rollback", dataDir.toString(), txs.get(0));
        assertEquals(0, again.exitCode(), again::toString);
        assertTrue(again.out().contains("already rolled back"), again::toString);

        CliRun second = CliRun.of("rollback", dataDir.toString(), txs.get(1));
        assertEquals(0, second.exitCode(), second::toString);
        DataDirAssertions.assertSameTree(withoutMarker(before, dataDir), withoutMarker(DataDirAssertions.serverTree(dataDir),
                dataDir), "rollback left differences");
        assertEquals(0, CliRun.of("verify", dataDir.toString()).exitCode());

        CliRun unknown = CliRun.of("rollback", dataDir.toString(), "no-such-tx");
        assertEquals(2, unknown.exitCode(), unknown::toString);
    }

    @Test
    void laterCompactionOfTheOutputsMustBeUndoneFirst() throws Exception {
        Path dataDir = Fixtures.copy("core-3.6", tmp.resolve("l"));
        var results = new ServerOracle().load(dataDir, "node0");
        assertEquals(0, CliRun.of("compact", dataDir.toString(), "--hosts", "node0").exitCode());
        List<String> first = txIds(dataDir, "0/1");
        // late data: one more snapshot re-lists an original as a late file, so the next run merges it with the output
        Path source;
        try (var s = Files.walk(Fixtures.dataDir("core-3.6").resolve("node0/dbs/0/1"))) {
            source = s.filter(p -> p.toString().endsWith(".parquet")).min(java.util.Comparator.naturalOrder()).orElseThrow();
        }
        LateData.addLateSnapshot(dataDir, "node0", source);
        assertEquals(0, CliRun.of("compact", dataDir.toString(), "--hosts", "node0").exitCode());
        List<String> all = txIds(dataDir, "0/1");
        assertTrue(all.size() > first.size(), "the late file was compacted in a second transaction");

        CliRun refused = CliRun.of("rollback", dataDir.toString(), first.get(0));
        assertEquals(1, refused.exitCode(), refused::toString);
        assertTrue(refused.err().contains("--and-later"), refused::toString);
        CliRun undo = CliRun.of("rollback", dataDir.toString(), first.get(0), "--and-later");
        assertEquals(0, undo.exitCode(), undo::toString);
        assertEquals(0, CliRun.of("verify", dataDir.toString()).exitCode());
        assertTrue(Files.exists(dataDir.resolve("node0")));
        assertEquals(results.keySet(), new ServerOracle().load(dataDir, "node0").keySet());
    }

    @Test
    void keepOriginalsLeavesThemInPlace() {
        Path dataDir = Fixtures.copy("core-3.0", tmp.resolve("k"));
        var results = new ServerOracle().load(dataDir, "node0");
        long files = DataDirAssertions.parquetFileCount(dataDir, "node0");
        CliRun run = CliRun.of("compact", dataDir.toString(), "--keep-originals");
        assertEquals(0, run.exitCode(), run::toString);
        assertEquals(files + 3, DataDirAssertions.parquetFileCount(dataDir, "node0"), "originals plus 3 compacted files");
        assertEquals(results, new ServerOracle().load(dataDir, "node0"));
        assertTrue(CliRun.of("rollback", dataDir.toString()).out().contains("KEPT"));
    }

    private static List<String> txIds(Path dataDir, String table) {
        return CliRun.of("rollback", dataDir.toString()).out().lines().skip(1)
                .filter(l -> l.contains(" " + table + " ") && (l.contains("RETIRED") || l.contains("KEPT")))
                .map(l -> l.split(" ")[0]).toList();
    }

    private static Map<Path, String> withoutMarker(Map<Path, String> tree, Path dataDir) {
        Map<Path, String> m = new java.util.TreeMap<>(tree);
        m.remove(dataDir.resolve(".kompactor.json").toAbsolutePath());
        return m;
    }
}
