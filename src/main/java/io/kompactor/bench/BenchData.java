package io.kompactor.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kompactor.parquet.ColumnSpec;
import io.kompactor.parquet.CoreParquetWriter;
import io.kompactor.parquet.InfluxType;
import io.kompactor.parquet.ParquetFacts;
import io.kompactor.parquet.ParquetInspector;
import io.kompactor.snapshot.Json;
import io.kompactor.snapshot.ParquetFileEntry;
import io.kompactor.snapshot.Snapshot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Generates the benchmark's two Core-like data dirs (3.6 layout, {@code "version": "1"} snapshots with
 * {@code removed_files}) in one pass, every row computed by DuckDB SQL from {@code range()}:
 * <ul>
 *   <li>{@code dup}: per table, on-time 10-minute gen1 files (one per snapshot) plus late files (10% of the files,
 *       a fifth of an on-time file's rows each) written a few snapshots later into an older bucket. A late file's
 *       first {@code upserts} rows repeat existing (tags, time) keys of that bucket with new values (some NULL), the
 *       rest are new keys in the same 9-minute span, so its time range overlaps the on-time file's.</li>
 *   <li>{@code nodup}: the very same on-time files (hard links) and late files with the same row counts, ids,
 *       buckets and snapshots, but whose rows all lie in the bucket's last minute, which on-time rows never use:
 *       no two inputs overlap in time, so the merge has nothing to de-duplicate.</li>
 * </ul>
 * Columns: tags {@code region, host, service} (series key, dictionary strings via {@code ARROW:schema}), fields of
 * all five types ({@code usage} float, {@code count} integer, {@code bytes} uinteger, {@code status} string,
 * {@code ok} boolean), from the second half of the buckets on an extra float {@code temp} (schema growth), then
 * {@code time}. About 250 points per series and file.
 */
final class BenchData {
    static final String HOST = "node0";
    static final List<String> SERIES_KEY = List.of("region", "host", "service");
    static final long GEN1_NS = 600_000_000_000L;
    /** On-time rows use the first 9 minutes of a bucket; nodup late rows the last one. */
    static final long ON_TIME_SPAN_NS = 540_000_000_000L;
    /** 2025-01-06T00:00:00Z: a UTC midnight long past, so every window is settled. */
    static final long START_NS = 1_736_121_600_000_000_000L;
    private static final long SEED = 20_250_106L;
    private static final DateTimeFormatter BUCKET_DIR =
            DateTimeFormatter.ofPattern("yyyy-MM-dd/HH-mm").withZone(ZoneOffset.UTC);

    /** What was generated. {@code duplicateRows}: late rows that repeat an existing key (dup dir). */
    record Generated(Path dupDir, Path nodupDir, int files, int lateFiles, long rows, long dupBytes, long nodupBytes,
                     long duplicateRows, int snapshots, double seconds) {
    }

    private enum Kind { ON_TIME, LATE_DUP, LATE_NODUP }

    /** One file of one table: bucket index, the snapshot that writes it, its rows and (late dup) upserts. */
    private record FileSpec(int table, int bucket, int writeSeq, long rows, long upserts, boolean late,
                            int growthBucket) {
    }

    private record Written(int table, int writeSeq, ParquetFileEntry entry) {
    }

    private final CoreParquetWriter writer = new CoreParquetWriter();
    private final ParquetInspector inspector = new ParquetInspector();

    /**
     * @param rows       total rows over all files and tables (before de-duplication)
     * @param files      total parquet files
     * @param tables     tables (one database)
     * @param dupPercent share of all rows that are upserts of an existing key
     */
    Generated generate(Path root, long rows, int files, int tables, double dupPercent, int threads)
            throws IOException, SQLException {
        long t0 = System.nanoTime();
        if (tables < 1 || files < 2 * tables || rows < 100L * files) {
            throw new IllegalArgumentException("need tables >= 1, files >= 2 per table and rows >= 100 per file");
        }
        Path dup = root.resolve("dup");
        Path nodup = root.resolve("nodup");
        List<FileSpec> specs = new ArrayList<>();
        for (int t = 0; t < tables; t++) {
            int ft = files / tables + (t < files % tables ? 1 : 0);
            long rt = rows / tables + (t < rows % tables ? 1 : 0);
            specs.addAll(tableFiles(t, ft, rt, dupPercent));
        }
        specs.sort(java.util.Comparator.comparingInt(FileSpec::writeSeq).thenComparingInt(FileSpec::table)
                .thenComparing(FileSpec::late));
        int snapshots = specs.stream().mapToInt(FileSpec::writeSeq).max().orElse(0) + 1;
        List<Written> dupFiles = new ArrayList<>();
        List<Written> nodupFiles = new ArrayList<>();
        Map<String, Long> onTimeRows = new TreeMap<>();
        specs.stream().filter(s -> !s.late()).forEach(s -> onTimeRows.put(s.table() + "/" + s.bucket(), s.rows()));
        try (Connection c = open(threads, root.resolve("gen-spill"))) {
            long id = 0;
            for (FileSpec s : specs) {
                if (!s.late()) {
                    String path = objectPath(s);
                    Path f = write(c, dup, path, s, Kind.ON_TIME, 0);
                    ParquetFileEntry e = entry(c, id, path, s, f);
                    dupFiles.add(new Written(s.table(), s.writeSeq(), e));
                    Path link = nodup.resolve(path);
                    Files.createDirectories(link.getParent());
                    try {
                        Files.createLink(link, f);
                    } catch (IOException | UnsupportedOperationException ex) {
                        Files.copy(f, link);
                    }
                    nodupFiles.add(new Written(s.table(), s.writeSeq(), e));
                } else {
                    String path = objectPath(s);
                    long target = onTimeRows.get(s.table() + "/" + s.bucket());
                    Path fd = write(c, dup, path, s, Kind.LATE_DUP, target);
                    dupFiles.add(new Written(s.table(), s.writeSeq(), entry(c, id, path, s, fd)));
                    Path fn = write(c, nodup, path, s, Kind.LATE_NODUP, target);
                    nodupFiles.add(new Written(s.table(), s.writeSeq(), entry(c, id, path, s, fn)));
                }
                id++;
            }
        }
        writeSnapshots(dup, dupFiles, snapshots, tables);
        writeSnapshots(nodup, nodupFiles, snapshots, tables);
        deleteTree(root.resolve("gen-spill"));
        long total = specs.stream().mapToLong(FileSpec::rows).sum();
        long dupRows = specs.stream().mapToLong(FileSpec::upserts).sum();
        int late = (int) specs.stream().filter(FileSpec::late).count();
        return new Generated(dup, nodup, specs.size(), late, total,
                dupFiles.stream().mapToLong(w -> w.entry().sizeBytes()).sum(),
                nodupFiles.stream().mapToLong(w -> w.entry().sizeBytes()).sum(),
                dupRows, snapshots, (System.nanoTime() - t0) / 1e9);
    }

    /**
     * A tenth of the files (at least one) are late, spread evenly over the history, each a fifth of an on-time
     * file; {@code dupPercent} of the table's rows are upserts, shared equally by the late files.
     */
    private static List<FileSpec> tableFiles(int table, int files, long rows, double dupPercent) {
        int late = Math.max(1, (int) Math.round(files * 0.1));
        int onTime = files - late;
        long r = (long) Math.floor(rows / (onTime + late / 5.0));
        long lateRows = Math.max(1, r / 5);
        long rest = rows - onTime * r - late * lateRows;
        long upserts = Math.min(lateRows, Math.round(rows * dupPercent / 100.0 / late));
        List<FileSpec> out = new ArrayList<>();
        for (int b = 0; b < onTime; b++) {
            long extra = rest / onTime + (b < rest % onTime ? 1 : 0);
            out.add(new FileSpec(table, b, b, r + extra, 0, false, onTime / 2));
        }
        for (int j = 0; j < late; j++) {
            int bucket = (int) ((j + 0.5) * onTime / late);
            int writeSeq = Math.min(bucket + 3, onTime - 1);
            out.add(new FileSpec(table, bucket, writeSeq, lateRows, upserts, true, onTime / 2));
        }
        return out;
    }

    private static Connection open(int threads, Path spill) throws SQLException, IOException {
        Files.createDirectories(spill);
        Properties p = new Properties();
        p.setProperty("threads", Integer.toString(Math.max(1, threads)));
        p.setProperty("memory_limit", "1GB");
        p.setProperty("temp_directory", spill.toString());
        p.setProperty("autoinstall_known_extensions", "false");
        p.setProperty("autoload_known_extensions", "false");
        // preserve_insertion_order stays on (the default): CoreParquetWriter inserts sorted rows into a table.
        return DriverManager.getConnection("jdbc:duckdb:", p);
    }

    private static String objectPath(FileSpec s) {
        long bucketStart = START_NS + s.bucket() * GEN1_NS;
        return HOST + "/dbs/0/" + s.table() + "/"
                + BUCKET_DIR.format(Instant.ofEpochSecond(0, bucketStart)) + "/"
                + String.format("%010d", s.writeSeq() + 1L) + ".parquet";
    }

    static List<ColumnSpec> columns(boolean grown) {
        List<ColumnSpec> cols = new ArrayList<>(List.of(
                new ColumnSpec("region", InfluxType.TAG),
                new ColumnSpec("host", InfluxType.TAG),
                new ColumnSpec("service", InfluxType.TAG),
                new ColumnSpec("usage", InfluxType.FLOAT),
                new ColumnSpec("count", InfluxType.INTEGER),
                new ColumnSpec("bytes", InfluxType.UINTEGER),
                new ColumnSpec("status", InfluxType.STRING),
                new ColumnSpec("ok", InfluxType.BOOLEAN)));
        if (grown) {
            cols.add(new ColumnSpec("temp", InfluxType.FLOAT));
        }
        cols.add(new ColumnSpec("time", InfluxType.TIME));
        return cols;
    }

    private Path write(Connection c, Path dataDir, String objectPath, FileSpec s, Kind kind, long onTimeRows)
            throws IOException, SQLException {
        Path f = dataDir.resolve(objectPath);
        Files.createDirectories(f.getParent());
        // The bucket's schema, not the writer's: a late file lands in a bucket that may predate the growth.
        boolean grown = s.bucket() >= s.growthBucket();
        writer.writeFromSelect(c, f, columns(grown), SERIES_KEY, select(s, kind, onTimeRows, grown));
        return f;
    }

    private ParquetFileEntry entry(Connection c, long id, String path, FileSpec s, Path file) throws IOException {
        ParquetFacts facts = inspector.inspect(c, file);
        if (facts.rowCount() != s.rows() || facts.minTime() == null) {
            throw new IllegalStateException(file + ": wrote " + facts.rowCount() + " rows, expected " + s.rows());
        }
        return new ParquetFileEntry(id, path, Files.size(file), facts.rowCount(),
                START_NS + s.bucket() * GEN1_NS, facts.minTime(), facts.maxTime());
    }

    /**
     * The SELECT for one file, sorted like Core's (series key, time). Row {@code idx} of a bucket is series
     * {@code idx % N}, slot {@code idx / N}; on-time times are slot start plus an even ns jitter hashed from (table,
     * bucket, idx) alone, so an upsert recomputes an existing key exactly; new late rows get an odd jitter.
     */
    static String select(FileSpec s, Kind kind, long onTimeRows, boolean grown) {
        long bucketStart = START_NS + s.bucket() * GEN1_NS;
        long base = kind == Kind.ON_TIME ? s.rows() : onTimeRows;
        long series = Math.max(1, Math.min(1000, base / 250));
        long slots = (base + series - 1) / series;
        long step = ON_TIME_SPAN_NS / slots;
        String h = "hash(" + SEED + "::BIGINT, " + s.table() + "::BIGINT, " + s.bucket() + "::BIGINT, ";
        String keys;
        String time;
        String writerSalt = kind == Kind.ON_TIME ? "0" : "1";
        switch (kind) {
            case ON_TIME -> {
                keys = "SELECT k AS idx, false AS upsert, k FROM range(" + s.rows() + ") r(k)";
                time = bucketStart + " + (idx // " + series + ") * " + step + " + 2 * (" + h + "idx, 'j') % "
                        + Math.max(1, step / 2) + ")::BIGINT";
            }
            case LATE_DUP -> {
                long spacing = s.upserts() == 0 ? 1 : Math.max(1, base / s.upserts());
                keys = "SELECT CASE WHEN k < " + s.upserts() + " THEN k * " + spacing + " ELSE (k - " + s.upserts()
                        + ") END AS idx, k < " + s.upserts() + " AS upsert, k FROM range(" + s.rows() + ") r(k)";
                time = bucketStart + " + (idx // " + series + ") * " + step + " + CASE WHEN upsert THEN 2 * (" + h
                        + "idx, 'j') % " + Math.max(1, step / 2) + ")::BIGINT ELSE 2 * (" + h + "idx, 'jl') % "
                        + Math.max(1, step / 2) + ")::BIGINT + 1 END";
            }
            default -> {
                long lateSlots = (s.rows() + series - 1) / series;
                long lateStep = (GEN1_NS - ON_TIME_SPAN_NS) / lateSlots;
                keys = "SELECT k AS idx, false AS upsert, k FROM range(" + s.rows() + ") r(k)";
                time = (bucketStart + ON_TIME_SPAN_NS) + " + (idx // " + series + ") * " + lateStep + " + 2 * (" + h
                        + "idx, 'jn') % " + Math.max(1, lateStep / 2) + ")::BIGINT";
            }
        }
        String v = h + writerSalt + "::BIGINT, idx, ";
        String nul = "upsert AND " + v + "'n' || ";
        List<String> cols = new ArrayList<>();
        cols.add("['us-east', 'us-west', 'eu-central', 'ap-south'][((idx % " + series + ") // 5) % 4 + 1] AS region");
        cols.add("'host-' || lpad(CAST((idx % " + series + ") // 5 AS VARCHAR), 4, '0') AS host");
        cols.add("['api', 'db', 'cache', 'queue', 'web'][(idx % " + series + ") % 5 + 1] AS service");
        cols.add("CASE WHEN (" + nul + "'u') % 3 = 0) OR (NOT upsert AND " + v + "'nu') % 17 = 0) THEN NULL "
                + "ELSE (" + v + "'u') % 1000000000) / 1e7 END AS usage");
        cols.add("CASE WHEN " + nul + "'c') % 3 = 0 THEN NULL ELSE (idx // " + series + ") * 7 + (" + v
                + "'c') % 7)::BIGINT END AS count");
        cols.add("CASE WHEN " + nul + "'b') % 3 = 0 THEN NULL ELSE " + v + "'b') END AS bytes");
        cols.add("CASE WHEN " + nul + "'s') % 3 = 0 THEN NULL ELSE ['ok', 'warn', 'error', 'unknown'][(" + v
                + "'s') % 4)::BIGINT + 1] END AS status");
        cols.add("CASE WHEN " + nul + "'o') % 3 = 0 THEN NULL ELSE " + v + "'o') % 2 = 0 END AS ok");
        if (grown) {
            cols.add("CASE WHEN " + nul + "'t') % 3 = 0 THEN NULL ELSE 20 + (" + v + "'t') % 2000) / 100.0 END AS temp");
        }
        cols.add("make_timestamp_ns((" + time + ")::BIGINT) AS time");
        List<String> names = columns(grown).stream().map(ColumnSpec::name).map(n -> "\"" + n + "\"").toList();
        return "SELECT " + String.join(", ", names) + " FROM (SELECT " + String.join(", ", cols) + " FROM (" + keys
                + ")) ORDER BY region, host, service, time";
    }

    private static void writeSnapshots(Path dataDir, List<Written> files, int snapshots, int tables)
            throws IOException {
        JsonNodeFactory f = JsonNodeFactory.instance;
        long nextId = 0;
        for (int seq = 0; seq < snapshots; seq++) {
            int s = seq;
            List<Written> listed = files.stream().filter(w -> w.writeSeq() == s).toList();
            for (Written w : listed) {
                nextId = Math.max(nextId, w.entry().id() + 1);
            }
            List<ParquetFileEntry> entries = listed.stream().map(Written::entry).toList();
            ObjectNode o = f.objectNode();
            o.put("version", "1");
            o.put("node_id", HOST);
            o.put("next_file_id", nextId);
            o.put("snapshot_sequence_number", seq);
            o.put("wal_file_sequence_number", seq + 1L);
            o.put("catalog_sequence_number", 1L + tables);
            totals(o, entries);
            Map<Integer, ArrayNode> byTable = new TreeMap<>();
            for (Written w : listed) {
                byTable.computeIfAbsent(w.table(), t -> f.arrayNode()).add(w.entry().toJson());
            }
            o.set("databases", databases(byTable));
            o.set("removed_files", f.arrayNode());
            Path p = dataDir.resolve(HOST).resolve("snapshots").resolve(Snapshot.fileStem(seq) + ".info.json");
            Files.createDirectories(p.getParent());
            Files.write(p, Json.prettyBytes(o, false));
        }
    }

    static void totals(ObjectNode o, List<ParquetFileEntry> files) {
        o.put("parquet_size_bytes", files.stream().mapToLong(ParquetFileEntry::sizeBytes).sum());
        o.put("row_count", files.stream().mapToLong(ParquetFileEntry::rowCount).sum());
        o.put("min_time", files.stream().mapToLong(ParquetFileEntry::minTime).min().orElse(Long.MAX_VALUE));
        o.put("max_time", files.stream().mapToLong(ParquetFileEntry::maxTime).max().orElse(Long.MIN_VALUE));
    }

    /** {@code [[0, {"tables": [[table, [file...]]]}]]}, or {@code []} when nothing is listed. */
    static ArrayNode databases(Map<Integer, ArrayNode> byTable) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ArrayNode dbs = f.arrayNode();
        if (byTable.isEmpty()) {
            return dbs;
        }
        ArrayNode tableList = f.arrayNode();
        byTable.forEach((t, list) -> tableList.add(f.arrayNode().add(t).add(list)));
        ObjectNode dbTables = f.objectNode();
        dbTables.set("tables", tableList);
        dbs.add(f.arrayNode().add(0).add(dbTables));
        return dbs;
    }

    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (var s = Files.walk(p)) {
            for (Path x : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(x);
            }
        }
    }
}
