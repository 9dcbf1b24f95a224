package io.kompactor.snapshot;

/** A table of one database, by the catalog ids the server uses in its metadata. */
public record TableKey(long dbId, long tableId) implements Comparable<TableKey> {
    @Override
    public int compareTo(TableKey o) {
        int c = Long.compare(dbId, o.dbId);
        return c != 0 ? c : Long.compare(tableId, o.tableId);
    }

    @Override
    public String toString() {
        return dbId + "/" + tableId;
    }
}
