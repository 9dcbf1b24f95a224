package io.kompactor.cli;

import io.kompactor.testing.DataDirAssertions;
import io.kompactor.testing.Fixtures;
import io.kompactor.testing.ServerOracle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `rollback` restores a compacted data dir to the byte; `--keep-originals` leaves the originals where they were. */
class RollbackTest {
    @TempDir
    Path tmp;

    @Test
    void rollbackRestoresEveryMetadataFileAndOriginal() {
        Path dataDir = Fixtures.copy("core-3.9", tmp.resolve("d"));
        Map<Path, String> before = DataDirAssertions.tree(dataDir);
        assertEquals(0, CliRun.of("compact", dataDir.toString()).exitCode());

        CliRun list = CliRun.of("rollback", dataDir.toString());
        List<String> txs = list.out().lines().map(l -> l.split(" ")[0]).toList();
        assertEquals(2, txs.size(), list::toString);
        assertTrue(list.out().contains("RETIRED"), list::toString);

        CliRun refused = CliRun.of("rollback", dataDir.toString(), txs.get(0));
        assertEquals(1, refused.exitCode(), refused::toString);
        assertTrue(refused.err().contains("--and-later"), refused::toString);

        CliRun undo = CliRun.of("rollback", dataDir.toString(), txs.get(0), "--and-later");
        assertEquals(0, undo.exitCode(), undo::toString);
        DataDirAssertions.assertSameTree(withoutStateDir(before, dataDir),
                withoutStateDir(DataDirAssertions.tree(dataDir), dataDir), "rollback left differences");
        assertEquals(0, CliRun.of("verify", dataDir.toString()).exitCode());
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

    private static Map<Path, String> withoutStateDir(Map<Path, String> tree, Path dataDir) {
        Map<Path, String> m = new HashMap<>(tree);
        m.keySet().removeIf(p -> p.startsWith(dataDir.resolve(".kompactor")));
        return m;
    }
}
