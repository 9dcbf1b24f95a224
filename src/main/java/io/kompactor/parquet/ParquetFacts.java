package io.kompactor.parquet;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What a parquet footer says about a file. Times are ns since the epoch, null for a file with no rows;
 * {@code columns} are in file order; {@code arrowSchemaBase64} is the {@code ARROW:schema} entry, null if absent.
 */
public record ParquetFacts(Path file, long sizeBytes, long rowCount, Long minTime, Long maxTime,
                           List<ParquetColumn> columns, String arrowSchemaBase64) {

    public ParquetFacts {
        columns = List.copyOf(columns);
    }

    public Optional<ParquetColumn> column(String name) {
        return columns.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    public List<String> columnNames() {
        return columns.stream().map(ParquetColumn::name).toList();
    }
}
