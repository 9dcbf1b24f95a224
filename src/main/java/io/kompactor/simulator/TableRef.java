package io.kompactor.simulator;

import java.util.Comparator;

/** A table by its catalog ids. Core's metadata never names tables, only ids (docs/format.md, "Serde layout"). */
public record TableRef(long dbId, long tableId) implements Comparable<TableRef> {
    private static final Comparator<TableRef> ORDER =
            Comparator.comparingLong(TableRef::dbId).thenComparingLong(TableRef::tableId);

    /** {@code "<db_id>/<table_id>"}, the key the test referee uses for tables. */
    public String key() {
        return dbId + "/" + tableId;
    }

    @Override
    public int compareTo(TableRef o) {
        return ORDER.compare(this, o);
    }

    @Override
    public String toString() {
        return key();
    }
}
