package io.kompactor.verify;

import io.kompactor.parquet.ParquetFileException;
import io.kompactor.parquet.ArrowSchemaInfo;
import io.kompactor.parquet.ArrowSchemas;
import io.kompactor.parquet.ColumnSpec;
import io.kompactor.parquet.InfluxType;
import io.kompactor.parquet.ParquetFacts;
import io.kompactor.parquet.ParquetInspector;
import io.kompactor.snapshot.Checkpoint;
import io.kompactor.snapshot.HostMetadata;
import io.kompactor.snapshot.MetadataDoc;
import io.kompactor.snapshot.MetadataException;
import io.kompactor.snapshot.ParquetFileEntry;
import io.kompactor.snapshot.ServerView;
import io.kompactor.snapshot.Snapshot;
import io.kompactor.plan.CompactedName;
import io.kompactor.snapshot.TableKey;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks what the server relies on (docs/format.md, "Query path"): every listed file exists with its exact size, row
 * count and time range; totals add up; ids are unique; no file holds a duplicate (tags, time) key; checkpoints and
 * the table index agree with the snapshots. Reads only.
 */
public final class Verifier {
    private final Connection duckdb;
    private final ParquetInspector inspector = new ParquetInspector();
    private final int loadedSnapshots;

    /** {@code loadedSnapshots}: the server's N (0: the default of the data dir's version). */
    public Verifier(Connection duckdb, int loadedSnapshots) {
        this.duckdb = duckdb;
        this.loadedSnapshots = loadedSnapshots;
    }

    /** Problems found for one host, each naming the file; empty when everything holds. */
    public VerifyReport verify(Path dataDir, String host) {
        List<String> problems = new ArrayList<>();
        HostMetadata m;
        try {
            m = HostMetadata.load(dataDir, host);
        } catch (MetadataException e) {
            return new VerifyReport(host, 0, List.of(e.getMessage()), List.of());
        }
        Set<Long> removed = new HashSet<>();
        m.snapshots().forEach(s -> removed.addAll(s.removedIds()));
        m.checkpoints().forEach(c -> removed.addAll(c.pendingRemovedIds()));

        checkTotals(m, problems);
        Map<Long, ParquetFileEntry> snapshotEntries = checkIds(m, problems);
        checkCheckpoints(m, snapshotEntries, problems);
        checkTableIndex(m, snapshotEntries, removed, problems);

        Map<Long, ParquetFileEntry> toCheck = new LinkedHashMap<>();
        for (MetadataDoc d : m.allDocs()) {
            for (ParquetFileEntry e : d.allFiles()) {
                if (!removed.contains(e.id())) {
                    toCheck.putIfAbsent(e.id(), e);
                }
            }
        }
        for (ParquetFileEntry e : toCheck.values()) {
            checkFile(dataDir, e, problems);
        }
        List<String> warnings = new ArrayList<>();
        ServerView view = ServerView.of(m, loadedSnapshots > 0 ? loadedSnapshots : m.era().defaultLoadedSnapshots());
        if (problems.isEmpty()) {
            view.visible().forEach((table, files) -> checkKeysVisibleTwice(dataDir, table, files, warnings));
        }
        return new VerifyReport(host, toCheck.size(), problems, warnings);
    }

    /**
     * The server de-duplicates only within a {@code chunk_time} partition (docs/format.md, "Query path"), and a
     * compacted file is one partition for its whole window: a later file of that window in another partition that
     * repeats keys of it makes those rows show twice until the window is compacted again.
     */
    private void checkKeysVisibleTwice(Path dataDir, TableKey table, List<ParquetFileEntry> files, List<String> warnings) {
        for (ParquetFileEntry c : files) {
            if (CompactedName.writeOrderOf(c.path()).isEmpty()) {
                continue;
            }
            for (ParquetFileEntry f : files) {
                if (f == c || f.chunkTime() == c.chunkTime() || f.maxTime() < c.minTime() || f.minTime() > c.maxTime()) {
                    continue;
                }
                long twice = sharedKeys(dataDir.resolve(c.path()), dataDir.resolve(f.path()), f.minTime(), f.maxTime());
                if (twice > 0) {
                    warnings.add("table " + table + ": " + io.kompactor.config.Units.count(twice, "key") + " of " + f.path() + " repeat keys of compacted "
                            + c.path() + " in another partition: a query returns those rows twice until the window is "
                            + "compacted again");
                }
            }
        }
    }

    private long sharedKeys(Path compacted, Path other, long from, long to) {
        List<String> key = new ArrayList<>();
        for (Path p : List.of(compacted, other)) {
            ParquetFacts f = inspector.inspect(duckdb, p);
            if (f.arrowSchemaBase64() == null) {
                return 0;
            }
            for (ColumnSpec col : ArrowSchemas.decode(f.arrowSchemaBase64()).columns()) {
                String q = '"' + col.name().replace("\"", "\"\"") + '"';
                if ((col.type() == InfluxType.TAG || col.type() == InfluxType.TIME) && !key.contains(q)) {
                    key.add(q);
                }
            }
        }
        String sql = "SELECT count(*) FROM (SELECT 1 FROM read_parquet([?, ?], union_by_name = true, filename = true) "
                + "WHERE epoch_ns(\"time\") BETWEEN ? AND ? GROUP BY " + String.join(", ", key)
                + " HAVING count(DISTINCT filename) > 1)";
        try (PreparedStatement ps = duckdb.prepareStatement(sql)) {
            ps.setString(1, compacted.toString());
            ps.setString(2, other.toString());
            ps.setLong(3, from);
            ps.setLong(4, to);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            return 0; // the files were checked above; a failure here is not a second problem
        }
    }

    private static void checkTotals(HostMetadata m, List<String> problems) {
        for (MetadataDoc d : m.allDocs()) {
            List<ParquetFileEntry> files = d.allFiles();
            long size = files.stream().mapToLong(ParquetFileEntry::sizeBytes).sum();
            long rows = files.stream().mapToLong(ParquetFileEntry::rowCount).sum();
            expect(d, "parquet_size_bytes", size, problems);
            expect(d, "row_count", rows, problems);
            if (!files.isEmpty()) {
                expect(d, "min_time", files.stream().mapToLong(ParquetFileEntry::minTime).min().getAsLong(), problems);
                expect(d, "max_time", files.stream().mapToLong(ParquetFileEntry::maxTime).max().getAsLong(), problems);
            }
        }
    }

    private static void expect(MetadataDoc d, String field, long expected, List<String> problems) {
        if (d.json().has(field) && d.json().get(field).asLong() != expected) {
            problems.add(d.file() + ": " + field + " is " + d.json().get(field).asText() + ", its files add up to " + expected);
        }
    }

    /** Ids unique across snapshots; returns every snapshot-listed entry by id. */
    private static Map<Long, ParquetFileEntry> checkIds(HostMetadata m, List<String> problems) {
        Map<Long, ParquetFileEntry> byId = new HashMap<>();
        Map<Long, Path> where = new HashMap<>();
        for (Snapshot s : m.snapshots()) {
            for (ParquetFileEntry e : s.doc().allFiles()) {
                Path prev = where.putIfAbsent(e.id(), s.file());
                if (prev != null) {
                    problems.add("file id " + e.id() + " is listed twice: in " + prev + " and " + s.file());
                } else {
                    byId.put(e.id(), e);
                }
            }
        }
        return byId;
    }

    private static void checkCheckpoints(HostMetadata m, Map<Long, ParquetFileEntry> snapshotEntries,
                                         List<String> problems) {
        for (Checkpoint c : m.checkpoints()) {
            for (ParquetFileEntry e : c.doc().allFiles()) {
                // A checkpoint may hold files no snapshot lists any more; only a contradicting entry is wrong.
                ParquetFileEntry s = snapshotEntries.get(e.id());
                if (s != null && !s.equals(e)) {
                    problems.add(c.doc().file() + ": entry for id " + e.id() + " differs from the snapshot's: " + e + " vs " + s);
                }
            }
        }
    }

    private static void checkTableIndex(HostMetadata m, Map<Long, ParquetFileEntry> snapshotEntries, Set<Long> removed,
                                        List<String> problems) {
        if (m.indexMarker().isEmpty()) {
            return;
        }
        long marker = m.indexMarker().getAsLong();
        Map<TableKey, MetadataDoc> indices = new HashMap<>();
        for (MetadataDoc d : m.tableIndices()) {
            TableKey key = d.files().keySet().iterator().next();
            indices.put(key, d);
            for (ParquetFileEntry e : d.allFiles()) {
                ParquetFileEntry s = snapshotEntries.get(e.id());
                if (s != null && !s.equals(e)) {
                    problems.add(d.file() + ": entry for id " + e.id() + " differs from the snapshot's");
                }
            }
        }
        for (Snapshot s : m.snapshots()) {
            if (s.sequence() > marker) {
                continue;
            }
            s.files().forEach((table, files) -> {
                MetadataDoc index = indices.get(table);
                if (index == null) {
                    return;
                }
                Set<Long> ids = new HashSet<>();
                index.allFiles().forEach(f -> ids.add(f.id()));
                for (ParquetFileEntry e : files) {
                    if (!removed.contains(e.id()) && !ids.contains(e.id())) {
                        problems.add(index.file() + ": does not list " + e.path() + " (id " + e.id() + ") of " + s.file());
                    }
                }
            });
        }
    }

    private void checkFile(Path dataDir, ParquetFileEntry e, List<String> problems) {
        Path p = dataDir.resolve(e.path());
        if (!Files.isRegularFile(p)) {
            problems.add(p + ": listed (id " + e.id() + ") but missing");
            return;
        }
        ParquetFacts f;
        try {
            f = inspector.inspect(duckdb, p);
        } catch (ParquetFileException ex) {
            problems.add(ex.getMessage());
            return;
        }
        if (f.sizeBytes() != e.sizeBytes()) {
            problems.add(p + ": size is " + f.sizeBytes() + " bytes, metadata says " + e.sizeBytes());
        }
        if (f.rowCount() != e.rowCount()) {
            problems.add(p + ": has " + f.rowCount() + " rows, metadata says " + e.rowCount());
        }
        if (f.minTime() != null && (f.minTime() != e.minTime() || f.maxTime() != e.maxTime())) {
            problems.add(p + ": time range is " + f.minTime() + ".." + f.maxTime() + ", metadata says "
                    + e.minTime() + ".." + e.maxTime());
        }
        if (e.chunkTime() > e.minTime()) {
            problems.add(p + ": chunk_time " + e.chunkTime() + " is after min_time " + e.minTime());
        }
        checkDuplicates(p, f, problems);
    }

    private void checkDuplicates(Path p, ParquetFacts f, List<String> problems) {
        if (f.arrowSchemaBase64() == null) {
            problems.add(p + ": no ARROW:schema, cannot tell tags from fields to check for duplicate keys");
            return;
        }
        ArrowSchemaInfo schema = ArrowSchemas.decode(f.arrowSchemaBase64());
        List<String> key = new ArrayList<>();
        for (ColumnSpec c : schema.columns()) {
            if (c.type() == InfluxType.TAG || c.type() == InfluxType.TIME) {
                key.add('"' + c.name().replace("\"", "\"\"") + '"');
            }
        }
        String sql = "SELECT count(*) FROM (SELECT 1 FROM read_parquet(?) GROUP BY " + String.join(", ", key)
                + " HAVING count(*) > 1)";
        try (PreparedStatement ps = duckdb.prepareStatement(sql)) {
            ps.setString(1, p.toString());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long dups = rs.getLong(1);
                if (dups > 0) {
                    problems.add(p + ": " + io.kompactor.config.Units.count(dups, "duplicate (tags, time) key") + "; the server does not de-duplicate within a file");
                }
            }
        } catch (SQLException ex) {
            problems.add(p + ": cannot read rows: " + ex.getMessage());
        }
    }
}
