package io.kompactor.parquet;

import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Writes parquet files shaped like the ones InfluxDB 3 Core persists (ZSTD, 100k-row groups, {@code time}
 * TIMESTAMP_NS REQUIRED, UINT_64 uintegers, {@code ARROW:schema} with dictionary tags and the v2 series key),
 * for demo data, tests and benchmarks. Rows are written in the order given.
 */
public final class CoreParquetWriter {

    /**
     * Writes what {@code selectSql} yields; its columns must come in {@code columns} order (names are taken from
     * {@code columns}). Put an ORDER BY in it to fix the row order.
     */
    public void writeFromSelect(Connection c, Path out, List<ColumnSpec> columns, List<String> seriesKey,
                                String selectSql) throws SQLException {
        String table = tempTableName();
        try {
            createTable(c, table, columns);
            try (Statement s = c.createStatement()) {
                s.execute("INSERT INTO " + table + " SELECT * FROM (" + selectSql + ")");
            }
            copyOut(c, table, out, columns, seriesKey);
        } finally {
            dropTable(c, table);
        }
    }

    /**
     * Writes the given rows. Values: String for tags and strings, Double, Long, BigInteger or Long (read as
     * unsigned) for uintegers, Boolean, Long ns for time; null for a missing value except time.
     */
    public void writeRows(Connection c, Path out, List<ColumnSpec> columns, List<String> seriesKey,
                          List<List<Object>> rows) throws SQLException {
        String table = tempTableName();
        try {
            createTable(c, table, columns);
            insertRows(c, table, columns, rows);
            copyOut(c, table, out, columns, seriesKey);
        } finally {
            dropTable(c, table);
        }
    }

    /**
     * Rows through DuckDB's appender: a JDBC batch of INSERTs runs one statement per row (about 4,500 rows/s), which
     * made the server simulator too slow to feed the continuous benchmark; the appender takes hundreds of thousands a
     * second into the same table, in the order given (rowid order, which {@link #copyOut} keeps).
     */
    private static void insertRows(Connection c, String table, List<ColumnSpec> columns, List<List<Object>> rows)
            throws SQLException {
        try (DuckDBAppender a = c.unwrap(DuckDBConnection.class).createAppender("temp", "main", table)) {
            for (List<Object> row : rows) {
                if (row.size() != columns.size()) {
                    throw new IllegalArgumentException("row has " + row.size() + " values, expected "
                            + columns.size() + ": " + row);
                }
                a.beginRow();
                for (int i = 0; i < columns.size(); i++) {
                    append(a, columns.get(i), row.get(i));
                }
                a.endRow();
            }
        }
    }

    private static void append(DuckDBAppender a, ColumnSpec col, Object v) throws SQLException {
        if (v == null) {
            if (col.type() == InfluxType.TIME) {
                throw new IllegalArgumentException("time must not be null");
            }
            a.appendNull();
            return;
        }
        switch (col.type()) {
            case TAG, STRING -> a.append((String) v);
            case FLOAT -> a.append(((Number) v).doubleValue());
            case INTEGER -> a.append(((Number) v).longValue());
            // UBIGINT takes the 64 bits as a long: values above 2^63 keep their bit pattern
            case UINTEGER -> a.append(v instanceof BigInteger b ? b.longValue() : ((Number) v).longValue());
            case BOOLEAN -> a.append(((Boolean) v).booleanValue());
            case TIME -> a.appendEpochNanos(((Number) v).longValue());
        }
    }

    private static void createTable(Connection c, String table, List<ColumnSpec> columns) throws SQLException {
        // A table (not a bare SELECT) lets DuckDB prove "no NULLs" and write REQUIRED columns
        // (docs/architecture.md, "DuckDB facts the merge relies on").
        String defs = columns.stream()
                .map(col -> Sql.ident(col.name()) + " " + col.type().duckdbType()
                        + (col.type() == InfluxType.TIME ? " NOT NULL" : ""))
                .collect(Collectors.joining(", "));
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TEMP TABLE " + table + " (" + defs + ")");
        }
    }

    private static void copyOut(Connection c, String table, Path out, List<ColumnSpec> columns,
                                List<String> seriesKey) throws SQLException {
        String arrowSchema = ArrowSchemas.encode(columns,
                Map.of(ArrowSchemas.SERIES_KEY_V2, ArrowSchemas.seriesKeyV2(seriesKey)));
        Path tmp = out.resolveSibling(out.getFileName() + ".inprogress");
        String cols = columns.stream().map(col -> Sql.ident(col.name())).collect(Collectors.joining(", "));
        try (Statement s = c.createStatement()) {
            // ORDER BY rowid: with preserve_insertion_order=false a plain table scan may come out reordered.
            s.execute("COPY (SELECT " + cols + " FROM " + table + " ORDER BY rowid) TO " + Sql.literal(tmp.toString())
                    + " (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 100000, KV_METADATA {"
                    + Sql.literal(ArrowSchemas.KV_KEY) + ": " + Sql.literal(arrowSchema) + "})");
        }
        try {
            Files.move(tmp, out, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot rename " + tmp + " to " + out, e);
        }
    }

    private static void dropTable(Connection c, String table) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + table);
        }
    }

    private static String tempTableName() {
        return "kompactor_write_" + UUID.randomUUID().toString().replace("-", "");
    }
}
