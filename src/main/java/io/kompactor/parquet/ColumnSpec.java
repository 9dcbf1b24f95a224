package io.kompactor.parquet;

import java.util.Objects;

/** One column of a Core table: its name (case-sensitive, as InfluxDB treats it) and InfluxDB type. */
public record ColumnSpec(String name, InfluxType type) {
    public ColumnSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
    }
}
