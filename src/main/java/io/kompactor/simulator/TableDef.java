package io.kompactor.simulator;

import io.kompactor.parquet.ColumnSpec;
import io.kompactor.parquet.InfluxType;

import java.util.List;
import java.util.Optional;

/**
 * A table of the simulated catalog: its names and ids, its columns in creation (ColumnId) order, {@code time}
 * included, and the series key, the tag columns in creation order (docs/format.md, "Parquet files written by Core").
 */
record TableDef(String dbName, String name, TableRef ref, List<ColumnSpec> columns) {
    TableDef {
        columns = List.copyOf(columns);
    }

    List<String> seriesKey() {
        return columns.stream().filter(c -> c.type() == InfluxType.TAG).map(ColumnSpec::name).toList();
    }

    Optional<ColumnSpec> column(String name) {
        return columns.stream().filter(c -> c.name().equals(name)).findFirst();
    }
}
