package io.kompactor.parquet;


import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads parquet footers through DuckDB: row count, size, columns, {@code time} range and {@code ARROW:schema},
 * without decoding data pages. Errors become {@link ParquetFileException}s that start with the file path, because
 * DuckDB's own messages are not always clear about which file or what went wrong.
 */
public final class ParquetInspector {

    /** The footer facts about the {@code time} column that the merge checks: nullability and NULL count. */
    public record TimeColumnFacts(boolean required, long nullCount) {
    }

    public ParquetFacts inspect(Connection duckdb, Path file) {
        String path = checkReadable(file);
        try {
            long rows;
            long size;
            try (PreparedStatement ps = duckdb.prepareStatement(
                    "SELECT num_rows, file_size_bytes FROM parquet_file_metadata(?)")) {
                ps.setString(1, path);
                try (ResultSet r = ps.executeQuery()) {
                    r.next();
                    rows = r.getLong(1);
                    size = r.getLong(2);
                }
            }
            List<ParquetColumn> columns = columns(duckdb, path);
            Long[] range = {null, null};
            boolean hasNsTime = columns.stream()
                    .anyMatch(c -> c.name().equals("time") && c.duckdbType().equals("TIMESTAMP_NS"));
            if (rows > 0 && hasNsTime) {
                range = timeRange(duckdb, path);
            }
            return new ParquetFacts(file, size, rows, range[0], range[1], columns, arrowSchema(duckdb, path));
        } catch (SQLException e) {
            throw failure(file, e);
        }
    }

    /** One file's footer facts, or the problem that kept them from being read. */
    public record Inspection(Path file, ParquetFacts facts, TimeColumnFacts time, ParquetFileException problem) {
    }

    /**
     * {@link #inspect} and {@link #timeColumn} for many files at once: four footer queries over the whole list
     * instead of five per file (with hundreds of inputs the per-file round trips cost more than the merge). If a
     * batch query fails, every file is inspected on its own so that the error names the file it belongs to.
     */
    public List<Inspection> inspectAll(Connection duckdb, List<Path> files) {
        List<Inspection> out = new ArrayList<>();
        List<Path> readable = new ArrayList<>();
        for (Path f : files) {
            try {
                checkReadable(f);
                readable.add(f);
            } catch (ParquetFileException e) {
                out.add(new Inspection(f, null, null, e));
            }
        }
        Map<String, Inspection> batch;
        try {
            batch = readable.isEmpty() ? Map.of() : batch(duckdb, readable);
        } catch (SQLException | RuntimeException e) {
            batch = null;
        }
        List<Inspection> ordered = new ArrayList<>();
        for (Path f : files) {
            Inspection known = out.stream().filter(i -> i.file().equals(f)).findFirst().orElse(null);
            if (known == null && batch != null) {
                known = batch.get(f.toAbsolutePath().toString());
            }
            ordered.add(known != null ? known : inspectOne(duckdb, f));
        }
        return ordered;
    }

    private Inspection inspectOne(Connection duckdb, Path f) {
        try {
            ParquetFacts facts = inspect(duckdb, f);
            return new Inspection(f, facts, timeColumn(duckdb, f), null);
        } catch (ParquetFileException e) {
            return new Inspection(f, null, null, e);
        }
    }

    private static Map<String, Inspection> batch(Connection c, List<Path> files) throws SQLException {
        java.sql.Array list = c.createArrayOf("VARCHAR", files.stream().map(p -> p.toAbsolutePath().toString()).toArray());
        Map<String, long[]> meta = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT file_name, num_rows, file_size_bytes FROM parquet_file_metadata(?)")) {
            ps.setArray(1, list);
            try (ResultSet r = ps.executeQuery()) {
                while (r.next()) {
                    meta.put(r.getString(1), new long[]{r.getLong(2), r.getLong(3)});
                }
            }
        }
        Map<String, List<ParquetColumn>> columns = new HashMap<>();
        Map<String, Boolean> timeRequired = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT file_name, name, duckdb_type, repetition_type"
                + " FROM parquet_schema(?) WHERE duckdb_type IS NOT NULL ORDER BY file_name, column_id")) {
            ps.setArray(1, list);
            try (ResultSet r = ps.executeQuery()) {
                while (r.next()) {
                    columns.computeIfAbsent(r.getString(1), k -> new ArrayList<>())
                            .add(new ParquetColumn(r.getString(2), r.getString(3)));
                    if ("time".equals(r.getString(2))) {
                        timeRequired.put(r.getString(1), "REQUIRED".equals(r.getString(4)));
                    }
                }
            }
        }
        Map<String, Long[]> ranges = new HashMap<>();
        Map<String, Long> timeNulls = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT file_name, epoch_ns(min(TRY_CAST(stats_min_value AS TIMESTAMP_NS))),
                       epoch_ns(max(TRY_CAST(stats_max_value AS TIMESTAMP_NS))),
                       count(*) = count(TRY_CAST(stats_min_value AS TIMESTAMP_NS))
                         AND count(*) = count(TRY_CAST(stats_max_value AS TIMESTAMP_NS))
                         AND bool_and(coalesce(min_is_exact, true) AND coalesce(max_is_exact, true)),
                       coalesce(sum(stats_null_count), 0)
                FROM parquet_metadata(?) WHERE path_in_schema = 'time' GROUP BY file_name""")) {
            ps.setArray(1, list);
            try (ResultSet r = ps.executeQuery()) {
                while (r.next()) {
                    long min = r.getLong(2);
                    boolean hasStats = !r.wasNull();
                    if (r.getBoolean(4) && hasStats) {
                        ranges.put(r.getString(1), new Long[]{min, r.getLong(3)});
                    }
                    timeNulls.put(r.getString(1), r.getLong(5));
                }
            }
        }
        Map<String, String> schemas = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT file_name, decode(value) FROM parquet_kv_metadata(?)"
                + " WHERE key = encode('" + ArrowSchemas.KV_KEY + "')")) {
            ps.setArray(1, list);
            try (ResultSet r = ps.executeQuery()) {
                while (r.next()) {
                    schemas.put(r.getString(1), r.getString(2));
                }
            }
        }
        Map<String, Inspection> out = new HashMap<>();
        for (Path f : files) {
            String key = f.toAbsolutePath().toString();
            long[] m = meta.get(key);
            List<ParquetColumn> cols = columns.get(key);
            if (m == null || cols == null) {
                continue; // not in the batch answer: inspected on its own
            }
            boolean nsTime = cols.stream().anyMatch(col -> col.name().equals("time") && col.duckdbType().equals("TIMESTAMP_NS"));
            Long[] range = m[0] == 0 || !nsTime ? new Long[]{null, null} : ranges.get(key);
            if (range == null) {
                range = timeRange(c, key); // some row group lacks exact statistics: scan the column
            }
            ParquetFacts facts = new ParquetFacts(f, m[1], m[0], range[0], range[1], cols, schemas.get(key));
            Boolean required = timeRequired.get(key);
            TimeColumnFacts time = required == null ? null : new TimeColumnFacts(required, timeNulls.getOrDefault(key, 0L));
            out.put(key, new Inspection(f, facts, time, null));
        }
        return out;
    }

    /** Footer facts of {@code time}; null if the file has no such column. */
    public TimeColumnFacts timeColumn(Connection duckdb, Path file) {
        String path = checkReadable(file);
        try {
            Boolean required = null;
            try (PreparedStatement ps = duckdb.prepareStatement(
                    "SELECT repetition_type FROM parquet_schema(?) WHERE name = 'time' AND duckdb_type IS NOT NULL")) {
                ps.setString(1, path);
                try (ResultSet r = ps.executeQuery()) {
                    if (r.next()) {
                        required = "REQUIRED".equals(r.getString(1));
                    }
                }
            }
            if (required == null) {
                return null;
            }
            try (PreparedStatement ps = duckdb.prepareStatement(
                    "SELECT coalesce(sum(stats_null_count), 0) FROM parquet_metadata(?) WHERE path_in_schema = 'time'")) {
                ps.setString(1, path);
                try (ResultSet r = ps.executeQuery()) {
                    r.next();
                    return new TimeColumnFacts(required, r.getLong(1));
                }
            }
        } catch (SQLException e) {
            throw failure(file, e);
        }
    }

    private static List<ParquetColumn> columns(Connection c, String path) throws SQLException {
        // The root element has no duckdb_type; Core never writes nested columns.
        List<ParquetColumn> columns = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT name, duckdb_type FROM parquet_schema(?) WHERE duckdb_type IS NOT NULL ORDER BY column_id")) {
            ps.setString(1, path);
            try (ResultSet r = ps.executeQuery()) {
                while (r.next()) {
                    columns.add(new ParquetColumn(r.getString(1), r.getString(2)));
                }
            }
        }
        return columns;
    }

    /** From row-group statistics; scans the column only if some row group lacks exact statistics. */
    private static Long[] timeRange(Connection c, String path) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT epoch_ns(min(stats_min_value::TIMESTAMP_NS)), epoch_ns(max(stats_max_value::TIMESTAMP_NS)),
                       count(*) = count(stats_min_value) AND count(*) = count(stats_max_value)
                         AND bool_and(coalesce(min_is_exact, true) AND coalesce(max_is_exact, true))
                FROM parquet_metadata(?) WHERE path_in_schema = 'time'""")) {
            ps.setString(1, path);
            try (ResultSet r = ps.executeQuery()) {
                if (r.next() && r.getBoolean(3)) {
                    long min = r.getLong(1);
                    if (!r.wasNull()) {
                        return new Long[]{min, r.getLong(2)};
                    }
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT epoch_ns(min(time)), epoch_ns(max(time)) FROM read_parquet(?)")) {
            ps.setString(1, path);
            try (ResultSet r = ps.executeQuery()) {
                r.next();
                long min = r.getLong(1);
                return r.wasNull() ? new Long[]{null, null} : new Long[]{min, r.getLong(2)};
            }
        }
    }

    private static String arrowSchema(Connection c, String path) throws SQLException {
        // Compare as BLOB: decode() of a non-UTF-8 key written by some other tool would fail the whole query.
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT decode(value) FROM parquet_kv_metadata(?) WHERE key = encode('" + ArrowSchemas.KV_KEY + "')")) {
            ps.setString(1, path);
            try (ResultSet r = ps.executeQuery()) {
                return r.next() ? r.getString(1) : null;
            }
        }
    }

    /** Plain-language checks DuckDB would otherwise report as a glob miss or "too small". */
    private static String checkReadable(Path file) {
        if (!Files.exists(file)) {
            throw new ParquetFileException(file + ": file not found");
        }
        if (!Files.isRegularFile(file)) {
            throw new ParquetFileException(file + ": not a regular file");
        }
        try {
            if (Files.size(file) == 0) {
                throw new ParquetFileException(file + ": 0-byte file");
            }
        } catch (IOException e) {
            throw new ParquetFileException(file + ": cannot read file size: " + e.getMessage(), e);
        }
        return file.toAbsolutePath().toString();
    }

    static ParquetFileException failure(Path file, SQLException e) {
        String m = String.valueOf(e.getMessage());
        String what;
        if (m.contains("No magic bytes")) {
            what = "not a parquet file (truncated or corrupt: no magic bytes at end)";
        } else if (m.contains("too small to be a Parquet file")) {
            what = "not a parquet file (too small to hold a footer)";
        } else if (m.contains("Footer length error")) {
            what = "corrupt parquet footer (bad footer length)";
        } else if (m.contains("No files found")) {
            what = "file not found";
        } else {
            what = "unreadable parquet footer: " + m.lines().findFirst().orElse(m);
        }
        return new ParquetFileException(file + ": " + what, e);
    }
}
