package io.kompactor.merge;

import io.kompactor.parquet.ColumnSpec;
import io.kompactor.parquet.CoreParquetWriter;
import io.kompactor.parquet.InfluxType;
import io.kompactor.plan.CompactionPlan;
import io.kompactor.plan.PlanInput;
import io.kompactor.snapshot.ParquetFileEntry;
import io.kompactor.snapshot.TableKey;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.util.ArrayList;
import java.util.List;

/** Writes Core-like files of one table into a data dir and builds plans and snapshot entries for them. */
final class TableFiles {

    static final long T0 = 1_737_849_600_000_000_000L; // 2025-01-26T00:00Z
    static final long MINUTE = 60_000_000_000L;

    final Path dataDir;
    final Connection c;

    TableFiles(Path dataDir, Connection c) {
        this.dataDir = dataDir;
        this.c = c;
    }

    /** Writes rows (time is the last column) and returns the snapshot entry that describes the file exactly. */
    ParquetFileEntry write(long id, List<ColumnSpec> columns, List<String> seriesKey, List<List<Object>> rows)
            throws Exception {
        String rel = String.format("node0/dbs/0/0/2025-01-26/00-00/%010d.parquet", id);
        Path file = dataDir.resolve(rel);
        Files.createDirectories(file.getParent());
        new CoreParquetWriter().writeRows(c, file, columns, seriesKey, rows);
        int t = timeIndex(columns);
        long min = rows.stream().mapToLong(r -> (Long) r.get(t)).min().orElse(0);
        long max = rows.stream().mapToLong(r -> (Long) r.get(t)).max().orElse(0);
        return new ParquetFileEntry(id, rel, Files.size(file), rows.size(), T0, min, max);
    }

    CompactionPlan plan(List<ParquetFileEntry> entries, long targetFileBytes) {
        List<PlanInput> inputs = entries.stream().map(e -> new PlanInput(e, e.id(), false)).toList();
        return new CompactionPlan(dataDir, "node0", new TableKey(0, 0), "cpu", T0, T0 + 60 * MINUTE, inputs,
                "node0/dbs/0/0/2025-01-26/00-00", targetFileBytes);
    }

    CompactionPlan plan(List<ParquetFileEntry> entries) {
        return plan(entries, Long.MAX_VALUE);
    }

    /** All rows of a file in file order, each value as DuckDB prints it ("null" for NULL), time as epoch ns. */
    List<String> rows(Path file) throws Exception {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT * REPLACE (epoch_ns(time) AS time) FROM read_parquet(?, file_row_number = true) "
                        + "ORDER BY file_row_number")) {
            ps.setString(1, file.toString());
            List<String> out = new ArrayList<>();
            try (ResultSet r = ps.executeQuery()) {
                ResultSetMetaData m = r.getMetaData();
                while (r.next()) {
                    List<String> vals = new ArrayList<>();
                    for (int i = 1; i <= m.getColumnCount(); i++) {
                        if (!m.getColumnName(i).equals("file_row_number")) {
                            vals.add(String.valueOf(r.getString(i)));
                        }
                    }
                    out.add(String.join("|", vals));
                }
            }
            return out;
        }
    }

    String single(String sql, Object... params) throws Exception {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet r = ps.executeQuery()) {
                r.next();
                return r.getString(1);
            }
        }
    }

    private static int timeIndex(List<ColumnSpec> columns) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).type() == InfluxType.TIME) {
                return i;
            }
        }
        throw new IllegalArgumentException("no time column");
    }
}
