package io.kompactor.merge;

import io.kompactor.parquet.ArrowSchemas;
import io.kompactor.parquet.ColumnSpec;
import io.kompactor.parquet.InfluxType;
import io.kompactor.parquet.ParquetFacts;
import io.kompactor.parquet.ParquetInspector;
import io.kompactor.plan.LateKeyCheck;
import io.kompactor.snapshot.ParquetFileEntry;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The late-data key check of the planner (plan.LateKeyCheck): do late files repeat (tags, time) keys of the window's
 * compacted files? It reads the late files' keys and only the compacted files' rows in the late files' time range
 * (row-group statistics skip the rest), so it costs a fraction of a merge. Files never change under their id, so the
 * answer for a set of files is remembered. An unreadable file answers "repeats": the merge then names the problem.
 */
public final class LateKeys implements LateKeyCheck {
    private final Supplier<Connection> duckdb;
    private final ParquetInspector inspector = new ParquetInspector();
    private final Map<String, Boolean> answers = new ConcurrentHashMap<>();

    /** {@code duckdb} gives a connection for one check; it is closed after the check. */
    public LateKeys(Supplier<Connection> duckdb) {
        this.duckdb = duckdb;
    }

    @Override
    public boolean repeats(Path dataDir, List<ParquetFileEntry> compacted, List<ParquetFileEntry> late) {
        String key = ids(compacted) + "|" + ids(late);
        Boolean known = answers.get(key);
        if (known != null) {
            return known;
        }
        boolean r = check(dataDir, compacted, late);
        if (answers.size() > 100_000) {
            answers.clear();
        }
        answers.put(key, r);
        return r;
    }

    private boolean check(Path dataDir, List<ParquetFileEntry> compacted, List<ParquetFileEntry> late) {
        long from = late.stream().mapToLong(ParquetFileEntry::minTime).min().orElseThrow();
        long to = late.stream().mapToLong(ParquetFileEntry::maxTime).max().orElseThrow();
        List<ParquetFileEntry> overlapping = compacted.stream().filter(c -> c.maxTime() >= from && c.minTime() <= to).toList();
        if (overlapping.isEmpty()) {
            return false;
        }
        try (Connection c = duckdb.get()) {
            Set<String> keyColumns = new LinkedHashSet<>();
            List<String> basePaths = new ArrayList<>();
            List<String> latePaths = new ArrayList<>();
            for (ParquetFileEntry e : overlapping) {
                basePaths.add(dataDir.resolve(e.path()).toString());
            }
            for (ParquetFileEntry e : late) {
                latePaths.add(dataDir.resolve(e.path()).toString());
            }
            List<String> all = new ArrayList<>(basePaths);
            all.addAll(latePaths);
            for (String p : all) {
                ParquetFacts f = inspector.inspect(c, Path.of(p));
                if (f.arrowSchemaBase64() == null) {
                    return true;
                }
                for (ColumnSpec col : ArrowSchemas.decode(f.arrowSchemaBase64()).columns()) {
                    if (col.type() == InfluxType.TAG || col.type() == InfluxType.TIME) {
                        keyColumns.add('"' + col.name().replace("\"", "\"\"") + '"');
                    }
                }
            }
            String sql = "SELECT EXISTS (SELECT 1 FROM read_parquet(?, union_by_name = true, filename = true) "
                    + "WHERE epoch_ns(\"time\") BETWEEN ? AND ? GROUP BY " + String.join(", ", keyColumns)
                    + " HAVING bool_or(list_contains(?, filename)) AND bool_or(list_contains(?, filename)))";
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setArray(1, c.createArrayOf("VARCHAR", all.toArray()));
                ps.setLong(2, from);
                ps.setLong(3, to);
                ps.setArray(4, c.createArrayOf("VARCHAR", basePaths.toArray()));
                ps.setArray(5, c.createArrayOf("VARCHAR", latePaths.toArray()));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getBoolean(1);
                }
            }
        } catch (SQLException | RuntimeException e) {
            return true;
        }
    }

    private static String ids(List<ParquetFileEntry> l) {
        StringBuilder b = new StringBuilder();
        l.stream().mapToLong(ParquetFileEntry::id).sorted().forEach(id -> b.append(id).append(','));
        return b.toString();
    }
}
