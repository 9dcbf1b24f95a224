package io.kompactor.simulator;

import java.nio.file.Path;
import java.util.List;

/**
 * One parquet file the simulator persisted, as the ledger keeps it: its write order, table (ids and names), the
 * id and object path it got, the ledger's own link to its bytes, its rows and the table's tag columns.
 */
public record LedgerEntry(long order, TableRef table, String dbName, String tableName, long fileId, String objectPath,
                          Path copy, long rowCount, List<String> tags) {
    public LedgerEntry {
        tags = List.copyOf(tags);
    }
}
