package io.kompactor.parquet;

import java.util.List;
import java.util.Map;

/**
 * What a Core file's {@code ARROW:schema} says: columns in file order with their InfluxDB types, the series key
 * (empty when the file predates series-key metadata) and the raw schema-level metadata.
 */
public record ArrowSchemaInfo(List<ColumnSpec> columns, List<String> seriesKey, Map<String, String> schemaMetadata) {
    public ArrowSchemaInfo {
        columns = List.copyOf(columns);
        seriesKey = List.copyOf(seriesKey);
        schemaMetadata = Map.copyOf(schemaMetadata);
    }

    /** Tag columns in column order. */
    public List<String> tagColumns() {
        return columns.stream().filter(c -> c.type() == InfluxType.TAG).map(ColumnSpec::name).toList();
    }

    public List<String> columnNames() {
        return columns.stream().map(ColumnSpec::name).toList();
    }
}
