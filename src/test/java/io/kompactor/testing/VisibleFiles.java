package io.kompactor.testing;

import io.kompactor.simulator.LoadOptions;
import io.kompactor.simulator.LoadedState;
import io.kompactor.simulator.ParquetFile;
import io.kompactor.simulator.RestartLoader;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which parquet files a restarted server lists: the server simulator's restart load ({@link RestartLoader};
 * docs/format.md, "How a restarting server loads files"), so that the referee and the simulated server share ONE
 * model of a restart. The simulator depends on nothing of the product's metadata code, which keeps the referee
 * independent of what it referees.
 *
 * <p>The referee loads with {@link LoadOptions#referee()}: the era's default N, the checkpoint overlap filter, and
 * removals applied after all additions, by id, whatever snapshot they come from (the table index's rule,
 * docs/format.md, "Table index"). The server's own newest-first fold can miss removals between snapshots
 * (docs/format.md, "removed_files and the newest-first fold"); the compactor must not rely on either behaviour, and the
 * order-independent rule is the one its planner uses. Both rules give the fixture README's counts, since no fixture
 * snapshot removes anything.
 */
final class VisibleFiles {
    private VisibleFiles() {
    }

    /** Visible files per "db/table", each list in write order. */
    static Map<String, List<OracleFile>> of(Path dataDir, String host) {
        LoadedState loaded = RestartLoader.load(dataDir, host, LoadOptions.referee());
        Map<String, List<OracleFile>> byTable = new TreeMap<>();
        loaded.files().byTable().forEach((t, files) -> {
            for (ParquetFile f : files) {
                byTable.computeIfAbsent(t.key(), k -> new ArrayList<>()).add(new OracleFile(t.dbId(), t.tableId(),
                        f.id(), f.path(), f.sizeBytes(), f.rowCount(), f.chunkTime(), f.minTime(), f.maxTime()));
            }
        });
        byTable.values().forEach(l -> l.sort(Comparator.comparingLong(OracleFile::writeOrder)
                .thenComparingLong(OracleFile::id)));
        return byTable;
    }
}
