package io.kompactor.simulator;

import io.kompactor.parquet.ColumnSpec;
import io.kompactor.parquet.CoreParquetWriter;
import io.kompactor.parquet.InfluxType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Persists one buffer chunk as Core does (docs/format.md, "Parquet files written by Core"): de-duplicated on (tags,
 * time) keeping per field the last non-null value in write order, sorted by the series key (nulls first) then time,
 * columns with data first in ColumnId order and the table's other columns after them, all null.
 */
final class ChunkWriter {
    private final Connection duckdb;
    private final CoreParquetWriter writer = new CoreParquetWriter();

    ChunkWriter(Connection duckdb) {
        this.duckdb = duckdb;
    }

    /** Writes {@code chunk} to {@code objectPath} under {@code dataDir} and returns its entry with id {@code id}. */
    ParquetFile write(TableDef def, WriteBuffer.Chunk chunk, long id, Path dataDir, String objectPath) {
        List<ColumnSpec> columns = def.columns();
        List<Object[]> rows = deduplicate(def, chunk.rows());
        List<Integer> order = dataFirst(columns, rows);
        List<ColumnSpec> written = order.stream().map(columns::get).toList();
        List<List<Object>> values = new ArrayList<>(rows.size());
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        int timeIndex = columns.indexOf(new ColumnSpec("time", InfluxType.TIME));
        for (Object[] r : rows) {
            values.add(order.stream().map(i -> r[i]).toList());
            long t = (Long) r[timeIndex];
            min = Math.min(min, t);
            max = Math.max(max, t);
        }
        Path target = dataDir.resolve(objectPath);
        // The object store's put: a hidden staging name, then an atomic rename (docs/format.md, "Staging files").
        Path staging = ObjectStore.staging(target);
        try {
            Files.createDirectories(target.getParent());
            writer.writeRows(duckdb, staging, written, def.seriesKey(), values);
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return new ParquetFile(id, objectPath, Files.size(target), rows.size(), chunk.chunkTime(), min, max);
        } catch (SQLException | IOException e) {
            throw new SimulatorException("cannot persist " + objectPath + ": " + e.getMessage(), e);
        }
    }

    /** Rows as value arrays in {@code def.columns()} order, one per (tags, time), sorted as Core sorts them. */
    static List<Object[]> deduplicate(TableDef def, List<Row> rows) {
        List<ColumnSpec> columns = def.columns();
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < columns.size(); i++) {
            index.put(columns.get(i).name(), i);
        }
        List<String> seriesKey = def.seriesKey();
        Map<List<Object>, Object[]> merged = new LinkedHashMap<>();
        for (Row r : rows) {
            List<Object> key = new ArrayList<>(seriesKey.size() + 1);
            seriesKey.forEach(tag -> key.add(r.tags().get(tag)));
            key.add(r.time());
            Object[] values = merged.computeIfAbsent(key, k -> {
                Object[] v = new Object[columns.size()];
                r.tags().forEach((tag, value) -> v[index.get(tag)] = value);
                v[index.get("time")] = r.time();
                return v;
            });
            // A Row holds no null fields, so a later write never blanks an earlier value: last non-null wins.
            r.fields().forEach((field, value) -> values[index.get(field)] = value);
        }
        List<Object[]> out = new ArrayList<>(merged.values());
        out.sort(sortOrder(seriesKey.stream().map(index::get).toList(), index.get("time")));
        return out;
    }

    /**
     * Series key columns ascending with nulls first, then time (docs/format.md, "Parquet files written by Core");
     * strings by code point, as Rust compares UTF-8.
     */
    private static Comparator<Object[]> sortOrder(List<Integer> keyColumns, int timeColumn) {
        Comparator<String> byCodePoint = Comparator.nullsFirst(ChunkWriter::compareCodePoints);
        Comparator<Object[]> c = (a, b) -> 0;
        for (int i : keyColumns) {
            c = c.thenComparing(r -> (String) r[i], byCodePoint);
        }
        return c.thenComparingLong(r -> (Long) r[timeColumn]);
    }

    static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Boolean.compare(i < a.length(), j < b.length());
    }

    /** Column positions: those with a value in some row first, then the all-null ones, each in ColumnId order. */
    private static List<Integer> dataFirst(List<ColumnSpec> columns, List<Object[]> rows) {
        boolean[] hasData = new boolean[columns.size()];
        for (Object[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                hasData[i] |= r[i] != null;
            }
        }
        List<Integer> withData = new ArrayList<>();
        List<Integer> without = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            (hasData[i] ? withData : without).add(i);
        }
        withData.addAll(without);
        return withData;
    }
}
