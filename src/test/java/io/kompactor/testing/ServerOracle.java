package io.kompactor.testing;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The referee: what a restarted InfluxDB 3 Core server would return for every table of a data dir. File visibility
 * follows the restart load (docs/format.md, "How a restarting server loads files"; see {@link VisibleFiles}); rows are
 * de-duplicated on (tags, time) keeping per field the last non-null value in write order (docs/format.md, "Query path",
 * "Parquet files written by Core"). Built only on docs/format.md, Jackson and DuckDB.
 */
public final class ServerOracle {

    /** Tables keyed "db/table" (ids), in key order. */
    public Map<String, TableRows> load(Path dataDir, String host) {
        Map<String, List<Path>> files = new TreeMap<>();
        visibleFiles(dataDir, host).forEach((table, list) ->
                files.put(table, list.stream().map(f -> dataDir.resolve(f.path()).toAbsolutePath()).toList()));
        return rowsOf(files, dataDir + " host " + host);
    }

    /**
     * What a query returns when each table's files are exactly {@code filesByTable} (write order), e.g. the
     * simulator ledger's record of every file ever written: the expected result whatever happened to the data dir.
     */
    public Map<String, TableRows> rowsOf(Map<String, List<Path>> filesByTable, String what) {
        Map<String, TableRows> out = new TreeMap<>();
        try (Connection c = open()) {
            for (var e : filesByTable.entrySet()) {
                out.put(e.getKey(), rows(c, e.getValue().stream().map(p -> p.toAbsolutePath().toString()).toList()));
            }
        } catch (SQLException ex) {
            throw new IllegalStateException("oracle cannot read " + what + ": " + ex.getMessage(), ex);
        }
        return out;
    }

    /** The files the server lists after a restart, per "db/table", in write order. */
    public Map<String, List<OracleFile>> visibleFiles(Path dataDir, String host) {
        return VisibleFiles.of(dataDir, host);
    }

    /** Fails with {@link #diff} when the two loads differ. */
    public static void assertSameResults(Map<String, TableRows> expected, Map<String, TableRows> actual, String message) {
        String d = diff(expected, actual, 5);
        if (!d.isEmpty()) {
            fail(message + ":\n" + d);
        }
    }

    /** Empty when equal; otherwise per differing table the counts and up to {@code maxRows} rows on each side. */
    public static String diff(Map<String, TableRows> expected, Map<String, TableRows> actual, int maxRows) {
        StringBuilder sb = new StringBuilder();
        TreeSet<String> tables = new TreeSet<>(expected.keySet());
        tables.addAll(actual.keySet());
        for (String t : tables) {
            TableRows e = expected.get(t);
            TableRows a = actual.get(t);
            if (e == null || a == null) {
                sb.append(t).append(": ").append(e == null ? "unexpected table " + a : "missing table, expected " + e)
                        .append('\n');
                continue;
            }
            if (e.equals(a)) {
                continue;
            }
            sb.append(t).append(": expected ").append(e.rowCount()).append(" rows, got ").append(a.rowCount()).append('\n');
            if (!e.columns().equals(a.columns())) {
                sb.append("  columns expected ").append(e.columns()).append("\n  columns actual   ").append(a.columns())
                        .append('\n');
            }
            appendOnlyIn(sb, "  only expected: ", e.rows(), a.rows(), maxRows);
            appendOnlyIn(sb, "  only actual:   ", a.rows(), e.rows(), maxRows);
        }
        return sb.toString();
    }

    private static void appendOnlyIn(StringBuilder sb, String label, List<String> in, List<String> notIn, int max) {
        TreeSet<String> other = new TreeSet<>(notIn);
        List<String> only = in.stream().filter(r -> !other.contains(r)).toList();
        only.stream().limit(max).forEach(r -> sb.append(label).append(r).append('\n'));
        if (only.size() > max) {
            sb.append(label).append("... ").append(only.size() - max).append(" more\n");
        }
    }

    private static TableRows rows(Connection c, List<String> paths) throws SQLException {
        Map<String, String> duckTypes = describe(c, paths);
        Map<String, String> ioxTypes = ioxTypes(c, paths);
        List<String> tags = new ArrayList<>();
        List<String> fields = new ArrayList<>();
        for (String col : duckTypes.keySet()) {
            if (ArrowTags.TAG.equals(ioxTypes.get(col))) {
                tags.add(col);
            } else if (!col.equals("time")) {
                fields.add(col);
            }
        }
        if (!duckTypes.containsKey("time")) {
            throw new IllegalStateException("no time column in " + paths);
        }
        List<String> key = new ArrayList<>(tags);
        key.add("time");
        rejectDuplicateKeysWithinAFile(c, paths, key);

        List<String> select = new ArrayList<>();
        key.forEach(k -> select.add(q(k)));
        // file_index is the position in the list, which is in write order: the highest non-null one wins.
        fields.forEach(f -> select.add("arg_max(" + q(f) + ", file_index) FILTER (WHERE " + q(f) + " IS NOT NULL) AS " + q(f)));
        List<String> render = new ArrayList<>();
        for (String col : new TreeSet<>(duckTypes.keySet())) {
            String value = col.equals("time") ? "CAST(epoch_ns(" + q(col) + ") AS VARCHAR)" : "CAST(" + q(col) + " AS VARCHAR)";
            render.add("CASE WHEN " + q(col) + " IS NULL THEN NULL ELSE " + lit(col + "=") + " || " + value + " END");
        }
        String sql = "SELECT concat_ws(', ', " + String.join(", ", render) + ") FROM (SELECT " + String.join(", ", select)
                + " FROM read_parquet(?, union_by_name=true) GROUP BY " + String.join(", ", key.stream().map(ServerOracle::q).toList()) + ")";
        List<String> rows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setArray(1, c.createArrayOf("VARCHAR", paths.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(rs.getString(1));
                }
            }
        }
        Collections.sort(rows);
        List<String> columns = new ArrayList<>();
        for (String col : new TreeSet<>(duckTypes.keySet())) {
            columns.add(col + ":" + duckTypes.get(col) + (tags.contains(col) ? ":tag" : ""));
        }
        return new TableRows(rows.size(), columns, rows);
    }

    /**
     * A file's own duplicates are never de-duplicated by the server (docs/format.md, "Query path"): treat one as a
     * broken data dir.
     */
    private static void rejectDuplicateKeysWithinAFile(Connection c, List<String> paths, List<String> key) throws SQLException {
        String cols = String.join(", ", key.stream().map(ServerOracle::q).toList());
        String sql = "SELECT filename, count(*) FROM read_parquet(?, union_by_name=true, filename=true) GROUP BY filename, "
                + cols + " HAVING count(*) > 1 LIMIT 1";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setArray(1, c.createArrayOf("VARCHAR", paths.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    throw new IllegalStateException(rs.getString(1) + " holds " + rs.getLong(2)
                            + " rows with the same " + key + ": the server would return all of them");
                }
            }
        }
    }

    private static Map<String, String> describe(Connection c, List<String> paths) throws SQLException {
        Map<String, String> types = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("DESCRIBE SELECT * FROM read_parquet(?, union_by_name=true)")) {
            ps.setArray(1, c.createArrayOf("VARCHAR", paths.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    types.put(rs.getString("column_name"), rs.getString("column_type"));
                }
            }
        }
        return types;
    }

    /** Union over the files of each column's iox type; a column is a tag if any file says so. */
    private static Map<String, String> ioxTypes(Connection c, List<String> paths) throws SQLException {
        Map<String, String> types = new LinkedHashMap<>();
        String sql = "SELECT decode(value) FROM parquet_kv_metadata(?) WHERE decode(key) = 'ARROW:schema'";
        for (String p : paths) {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, p);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ArrowTags.columnTypes(rs.getString(1)).forEach((col, t) -> {
                            if (!ArrowTags.TAG.equals(types.get(col))) {
                                types.put(col, t);
                            }
                        });
                    }
                }
            }
        }
        return types;
    }

    private static Connection open() throws SQLException {
        Properties p = new Properties();
        p.setProperty("autoinstall_known_extensions", "false");
        p.setProperty("autoload_known_extensions", "false");
        p.setProperty("threads", "2");
        return DriverManager.getConnection("jdbc:duckdb:", p);
    }

    private static String q(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    private static String lit(String s) {
        return "'" + s.replace("'", "''") + "'";
    }
}
