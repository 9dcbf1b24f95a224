package io.kompactor.bench;

import io.kompactor.merge.MergeSettings;
import io.kompactor.parquet.Sql;
import io.kompactor.plan.CompactedName;
import io.kompactor.simulator.Ledger;
import io.kompactor.simulator.LedgerEntry;
import io.kompactor.simulator.LoadOptions;
import io.kompactor.simulator.ParquetFile;
import io.kompactor.simulator.RestartLoader;
import io.kompactor.simulator.TableRef;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The continuous benchmark's referee: what a restarted server would return equals what was written. Expected: every
 * file the simulated server ever persisted (its ledger, kept outside the data dir), de-duplicated on (tags, time)
 * with per field the last non-null value in write order. Actual: the files a restart lists ({@link RestartLoader},
 * the server's own fold), which must exist with their listed size, hold no key twice within one file (the server
 * does not de-duplicate inside a file), and de-duplicate across files the same way in write order (a compacted
 * file's write order is in its name, {@link CompactedName}). The rules are the test referee's (ServerOracle, from
 * docs/format.md, "How a restarting server loads files" and "Query path"), restated here because production code may
 * not use test code.
 */
final class ResultsCheck {

    /** Per table and in total: rows expected and returned, rows only on one side, problems found. */
    record Result(boolean equal, long expectedRows, long actualRows, long onlyExpected, long onlyActual,
                  long duplicateKeysWithinFiles, List<String> problems) {
    }

    private ResultsCheck() {
    }

    static Result compare(Path dataDir, String node, Ledger ledger, Path tmp) throws SQLException, IOException {
        Map<String, List<LedgerEntry>> written = new TreeMap<>();
        ledger.entries().forEach(e -> written.computeIfAbsent(e.table().key(), k -> new ArrayList<>()).add(e));
        Map<String, List<ParquetFile>> visible = new TreeMap<>();
        RestartLoader.load(dataDir, node, LoadOptions.server()).files().byTable()
                .forEach((TableRef t, List<ParquetFile> files) -> visible.put(t.key(), new ArrayList<>(files)));
        visible.values().forEach(l -> l.sort(Comparator.comparingLong((ParquetFile f) ->
                CompactedName.writeOrderOf(f.path()).orElse(f.id())).thenComparingLong(ParquetFile::id)));

        List<String> problems = new ArrayList<>();
        long expected = 0;
        long actual = 0;
        long onlyExpected = 0;
        long onlyActual = 0;
        long dupWithin = 0;
        Set<String> tables = new LinkedHashSet<>(written.keySet());
        tables.addAll(visible.keySet());
        Files.createDirectories(tmp);
        try (Connection c = MergeSettings.defaults(tmp).openDuckDb()) {
            for (String table : tables) {
                List<LedgerEntry> w = written.getOrDefault(table, List.of());
                List<ParquetFile> v = visible.getOrDefault(table, List.of());
                if (w.isEmpty() || v.isEmpty()) {
                    problems.add(table + ": " + (w.isEmpty() ? "listed but never written" : "written but nothing listed"));
                    continue;
                }
                List<String> missing = new ArrayList<>();
                for (ParquetFile f : v) {
                    Path p = dataDir.resolve(f.path());
                    if (!Files.isRegularFile(p) || Files.size(p) != f.sizeBytes()) {
                        missing.add(f.path());
                    }
                }
                if (!missing.isEmpty()) {
                    problems.add(table + ": listed files missing or of another size: " + missing);
                    continue;
                }
                List<String> tags = w.stream().flatMap(e -> e.tags().stream()).distinct().toList();
                List<String> ledgerPaths = w.stream().map(e -> e.copy().toString()).toList();
                List<String> visiblePaths = v.stream().map(f -> dataDir.resolve(f.path()).toString()).toList();
                List<String> columns = columns(c, ledgerPaths);
                List<String> visibleColumns = columns(c, visiblePaths);
                if (!new LinkedHashSet<>(columns).equals(new LinkedHashSet<>(visibleColumns))) {
                    problems.add(table + ": columns written " + columns + ", listed files have " + visibleColumns);
                    continue;
                }
                List<String> key = new ArrayList<>(tags);
                key.add("time");
                List<String> fields = columns.stream().filter(x -> !key.contains(x)).toList();
                dedup(c, "kb_expected", ledgerPaths, key, fields);
                dedup(c, "kb_actual", visiblePaths, key, fields);
                long within = duplicatesWithinFiles(c, visiblePaths, key);
                long[] counts = longs(c, "SELECT (SELECT count(*) FROM kb_expected), (SELECT count(*) FROM kb_actual), "
                        + "(SELECT count(*) FROM (SELECT * FROM kb_expected EXCEPT ALL SELECT * FROM kb_actual)), "
                        + "(SELECT count(*) FROM (SELECT * FROM kb_actual EXCEPT ALL SELECT * FROM kb_expected))", 4);
                expected += counts[0];
                actual += counts[1] + within;
                onlyExpected += counts[2];
                onlyActual += counts[3];
                dupWithin += within;
                if (counts[2] > 0 || counts[3] > 0 || within > 0) {
                    problems.add(String.format(java.util.Locale.ROOT, "%s: %,d rows expected, %,d returned; %,d only "
                            + "expected, %,d only returned, %,d keys twice within a file", table, counts[0],
                            counts[1] + within, counts[2], counts[3], within));
                }
                try (Statement s = c.createStatement()) {
                    s.execute("DROP TABLE kb_expected");
                    s.execute("DROP TABLE kb_actual");
                }
            }
        }
        return new Result(problems.isEmpty(), expected, actual, onlyExpected, onlyActual, dupWithin, problems);
    }

    /** Column names of the union of {@code paths}, in union order. */
    private static List<String> columns(Connection c, List<String> paths) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("DESCRIBE SELECT * FROM read_parquet(?, union_by_name = true)")) {
            ps.setArray(1, c.createArrayOf("VARCHAR", paths.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString("column_name"));
                }
            }
        }
        return out;
    }

    /** The rows a query returns: per key, per field the last non-null value in list (write) order. */
    private static void dedup(Connection c, String table, List<String> paths, List<String> key, List<String> fields)
            throws SQLException {
        String keys = key.stream().map(Sql::ident).collect(Collectors.joining(", "));
        String values = fields.stream().map(f -> "arg_max(" + Sql.ident(f) + ", file_index) FILTER (WHERE "
                + Sql.ident(f) + " IS NOT NULL) AS " + Sql.ident(f)).collect(Collectors.joining(", "));
        try (PreparedStatement ps = c.prepareStatement("CREATE TEMP TABLE " + table + " AS SELECT " + keys
                + (values.isEmpty() ? "" : ", " + values) + " FROM read_parquet(?, union_by_name = true) GROUP BY " + keys)) {
            ps.setArray(1, c.createArrayOf("VARCHAR", paths.toArray()));
            ps.execute();
        }
    }

    /** Rows beyond the first of a key inside one file: a query would return each of them. */
    private static long duplicatesWithinFiles(Connection c, List<String> paths, List<String> key) throws SQLException {
        String keys = key.stream().map(Sql::ident).collect(Collectors.joining(", "));
        try (PreparedStatement ps = c.prepareStatement("SELECT coalesce(sum(n - 1), 0) FROM (SELECT count(*) AS n FROM "
                + "read_parquet(?, union_by_name = true, filename = true) GROUP BY filename, " + keys
                + " HAVING count(*) > 1)")) {
            ps.setArray(1, c.createArrayOf("VARCHAR", paths.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static long[] longs(Connection c, String sql, int n) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            long[] out = new long[n];
            for (int i = 0; i < n; i++) {
                out[i] = rs.getLong(i + 1);
            }
            return out;
        }
    }
}
