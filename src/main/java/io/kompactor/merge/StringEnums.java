package io.kompactor.merge;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.kompactor.parquet.Sql.ident;

/**
 * DuckDB ENUM types for the string columns of a merge, each holding the column's distinct values in bytewise order,
 * so that the sort carries small integers instead of strings. DuckDB 2.0's sort pays mostly for string payload: on
 * the bench's 20 M rows, sorting by {@code time} with the four string columns as payload cost 29 CPU-s, with only
 * the numeric columns 21 CPU-s, {@code time} alone 3.6 CPU-s; the floor's sort with the tags as ENUMs took 33-37
 * CPU-s instead of 50-60, and 28 CPU-s with the string field as an ENUM too.
 * <p>
 * An ENUM compares by its position in the type, which here is the bytewise order of the strings, so ORDER BY on a tag's
 * ENUM is exactly ORDER BY on the string, InfluxDB's order (docs/architecture.md, "DuckDB facts the merge relies on").
 * The parquet writer writes an ENUM back as a dictionary-encoded UTF8 string column, the same values and NULLs. Every
 * tag gets one (the series key is what the sort compares). A string field gets one only when it has few distinct
 * values: it is payload only, and listing the values of a field that holds free text would cost more than the sort
 * saves.
 * <p>
 * The types live in the shared catalog under names unique to one merge, and are dropped on {@link #close}.
 */
final class StringEnums implements AutoCloseable {

    /** A string field with more distinct values than this (estimated) stays a string. */
    static final long MAX_FIELD_VALUES = 10_000;

    private final Connection c;
    private final Map<String, String> typeByColumn = new LinkedHashMap<>();
    private final String suffix = UUID.randomUUID().toString().replace("-", "");

    private StringEnums(Connection c) {
        this.c = c;
    }

    /**
     * @param tags       the tag columns; their values are read from {@code tagTable} (one column per tag)
     * @param fields     the string field columns; their values are read from the inputs
     * @param inputs     the input paths, for {@code read_parquet(?, union_by_name = true)}
     */
    static StringEnums create(Connection c, List<String> tags, String tagTable, List<String> fields, Array inputs)
            throws SQLException {
        StringEnums enums = new StringEnums(c);
        try {
            for (String tag : tags) {
                enums.create(tag, tagTable, null);
            }
            List<String> few = fewValued(c, fields, inputs);
            for (String field : few) {
                enums.create(field, MergeSql.INPUTS, inputs);
            }
            return enums;
        } catch (SQLException | RuntimeException e) {
            enums.close();
            throw e;
        }
    }

    /** The column as its ENUM; unchanged if it has none. */
    String cast(String column) {
        String type = typeByColumn.get(column);
        return type == null ? ident(column) : "CAST(" + ident(column) + " AS " + type + ")";
    }

    /** A type of the column's non-NULL values in bytewise order; none if the column has only NULLs. */
    private void create(String column, String from, Array inputs) throws SQLException {
        String col = ident(column);
        String values = "SELECT DISTINCT " + col + " FROM " + from + " WHERE " + col + " IS NOT NULL";
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*) > 0 FROM (" + values + " LIMIT 1)")) {
            bind(ps, inputs);
            try (ResultSet r = ps.executeQuery()) {
                r.next();
                if (!r.getBoolean(1)) {
                    return;
                }
            }
        }
        String type = "kompactor_enum_" + typeByColumn.size() + "_" + suffix;
        // ORDER BY on VARCHAR is bytewise (binary collation), which is InfluxDB's order too
        // (docs/architecture.md, "DuckDB facts the merge relies on").
        try (PreparedStatement ps = c.prepareStatement("CREATE TYPE " + type + " AS ENUM (" + values + " ORDER BY "
                + col + ")")) {
            bind(ps, inputs);
            ps.execute();
        }
        typeByColumn.put(column, type);
    }

    /** The fields with at most {@link #MAX_FIELD_VALUES} distinct values, estimated in one scan. */
    private static List<String> fewValued(Connection c, List<String> fields, Array inputs) throws SQLException {
        List<String> few = new ArrayList<>();
        if (fields.isEmpty()) {
            return few;
        }
        StringBuilder sql = new StringBuilder("SELECT ");
        for (int i = 0; i < fields.size(); i++) {
            sql.append(i > 0 ? ", " : "").append("approx_count_distinct(").append(ident(fields.get(i))).append(")");
        }
        try (PreparedStatement ps = c.prepareStatement(sql + " FROM " + MergeSql.INPUTS)) {
            bind(ps, inputs);
            try (ResultSet r = ps.executeQuery()) {
                r.next();
                for (int i = 0; i < fields.size(); i++) {
                    if (r.getLong(i + 1) <= MAX_FIELD_VALUES) {
                        few.add(fields.get(i));
                    }
                }
            }
        }
        return few;
    }

    private static void bind(PreparedStatement ps, Array inputs) throws SQLException {
        if (inputs != null) {
            ps.setArray(1, inputs);
        }
    }

    @Override
    public void close() {
        for (String type : typeByColumn.values()) {
            try (PreparedStatement ps = c.prepareStatement("DROP TYPE IF EXISTS " + type)) {
                ps.execute();
            } catch (SQLException e) {
                // An instance that cannot drop a type is going away anyway; the names are unique.
            }
        }
        typeByColumn.clear();
    }
}
