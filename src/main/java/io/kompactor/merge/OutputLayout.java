package io.kompactor.merge;

import io.kompactor.parquet.ArrowSchemaInfo;
import io.kompactor.parquet.ArrowSchemas;
import io.kompactor.parquet.ColumnSpec;
import io.kompactor.parquet.InfluxType;
import io.kompactor.parquet.ParquetColumn;
import io.kompactor.parquet.ParquetFacts;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The shape of a merge's output, decided from the inputs' footers: columns in output order with their InfluxDB
 * types, the tag columns in sort order (series key first) and the {@code ARROW:schema} to store.
 *
 * @param columns    output columns in output order
 * @param sortTags   every tag column: series-key tags in key order, then the other tags in column order
 * @param arrowSchema the base64 {@code ARROW:schema} for the output
 * @param copiedFrom the input whose {@code ARROW:schema} was copied verbatim, or null if it was synthesized
 */
record OutputLayout(List<ColumnSpec> columns, List<String> sortTags, String arrowSchema, Path copiedFrom) {

    OutputLayout {
        columns = List.copyOf(columns);
        sortTags = List.copyOf(sortTags);
    }

    List<String> fieldNames() {
        return columns.stream().filter(c -> c.type().isField()).map(ColumnSpec::name).toList();
    }

    /** @param inputs footer facts in write order, oldest first (already checked by {@link InputChecks}) */
    static OutputLayout of(List<ParquetFacts> inputs) {
        // Union in read_parquet(union_by_name) order: first appearance, oldest file first.
        Map<String, String> duckTypes = new LinkedHashMap<>();
        for (ParquetFacts f : inputs) {
            for (ParquetColumn c : f.columns()) {
                duckTypes.putIfAbsent(c.name(), c.duckdbType());
            }
        }

        ParquetFacts newestWithSchema = null;
        ArrowSchemaInfo newest = null;
        Map<String, InfluxType> influxTypes = new LinkedHashMap<>();
        Map<String, Path> typeSource = new LinkedHashMap<>();
        for (int i = inputs.size() - 1; i >= 0; i--) {
            ParquetFacts f = inputs.get(i);
            if (f.arrowSchemaBase64() == null) {
                continue;
            }
            ArrowSchemaInfo info = decode(f);
            if (newest == null) {
                newest = info;
                newestWithSchema = f;
            }
            for (ColumnSpec c : info.columns()) {
                checkAgainstParquet(f.file(), c, duckTypes.get(c.name()));
                InfluxType prev = influxTypes.putIfAbsent(c.name(), c.type());
                if (prev == null) {
                    typeSource.put(c.name(), f.file());
                } else if (prev != c.type()) {
                    throw new MergeException("column " + c.name() + " has conflicting InfluxDB types: "
                            + prev + " in " + typeSource.get(c.name()) + " but " + c.type() + " in " + f.file());
                }
            }
        }
        if (newest == null) {
            throw new MergeException("cannot tell tags from fields: no ARROW:schema in "
                    + inputs.stream().map(ParquetFacts::file).toList());
        }

        // A column only in files without ARROW:schema: its DuckDB type tells us unless it is VARCHAR.
        for (Map.Entry<String, String> e : duckTypes.entrySet()) {
            if (!influxTypes.containsKey(e.getKey())) {
                influxTypes.put(e.getKey(), inferFromDuckDb(e.getKey(), e.getValue(), inputs));
            }
        }

        Set<String> unionNames = duckTypes.keySet();
        boolean sameSet = newest.columnNames().size() == unionNames.size()
                && unionNames.containsAll(newest.columnNames());
        List<ColumnSpec> columns = new ArrayList<>();
        String arrowSchema;
        Path copiedFrom = null;
        if (sameSet) {
            columns.addAll(newest.columns());
            arrowSchema = newestWithSchema.arrowSchemaBase64();
            copiedFrom = newestWithSchema.file();
        } else {
            for (String name : unionNames) {
                columns.add(new ColumnSpec(name, influxTypes.get(name)));
            }
            arrowSchema = ArrowSchemas.encode(columns, newest.schemaMetadata());
        }
        return new OutputLayout(columns, sortTags(columns, newest.seriesKey()), arrowSchema, copiedFrom);
    }

    private static List<String> sortTags(List<ColumnSpec> columns, List<String> seriesKey) {
        List<String> tags = columns.stream().filter(c -> c.type() == InfluxType.TAG).map(ColumnSpec::name).toList();
        // A v1 key splits wrongly when a tag name contains '/'; then it is no use for ordering, so fall back to
        // column order, which is what Core does without a key.
        List<String> key = tags.containsAll(seriesKey) ? seriesKey : List.of();
        Set<String> ordered = new LinkedHashSet<>(key);
        ordered.addAll(tags);
        return List.copyOf(ordered);
    }

    private static ArrowSchemaInfo decode(ParquetFacts f) {
        try {
            return ArrowSchemas.decode(f.arrowSchemaBase64());
        } catch (IllegalArgumentException e) {
            throw new MergeException(f.file() + ": " + e.getMessage(), e);
        }
    }

    private static void checkAgainstParquet(Path file, ColumnSpec c, String duckType) {
        if (duckType == null) {
            throw new MergeException(file + ": ARROW:schema lists column " + c.name()
                    + " that no input file has");
        }
        if (!c.type().duckdbType().equals(duckType)) {
            throw new MergeException(file + ": ARROW:schema says column " + c.name() + " is " + c.type()
                    + " but the parquet column is " + duckType);
        }
    }

    private static InfluxType inferFromDuckDb(String name, String duckType, List<ParquetFacts> inputs) {
        return switch (duckType) {
            case "DOUBLE" -> InfluxType.FLOAT;
            case "BIGINT" -> InfluxType.INTEGER;
            case "UBIGINT" -> InfluxType.UINTEGER;
            case "BOOLEAN" -> InfluxType.BOOLEAN;
            case "TIMESTAMP_NS" -> InfluxType.TIME;
            default -> throw new MergeException("cannot tell whether column " + name
                    + " is a tag or a string field: no ARROW:schema describes it in "
                    + inputs.stream().filter(f -> f.column(name).isPresent()).map(ParquetFacts::file).toList());
        };
    }
}
