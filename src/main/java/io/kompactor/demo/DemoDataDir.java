package io.kompactor.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.kompactor.parquet.CoreParquetWriter;
import io.kompactor.parquet.DuckDb;
import io.kompactor.parquet.ParquetFacts;
import io.kompactor.parquet.ParquetInspector;
import io.kompactor.snapshot.Json;
import io.kompactor.snapshot.ParquetFileEntry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.SplittableRandom;

/**
 * Writes a data dir the way InfluxDB 3 Core would have after {@link DemoSpec#snapshots()} snapshots: incremental
 * snapshot JSON, one parquet file per table and gen1 bucket named after the snapshot's WAL sequence number, late
 * files into older buckets, and optionally a checkpoint and the table index. Used by {@code kompactor demo}, tests
 * and benchmarks; the fixture data dirs in {@code shared/fixtures/datadirs} are the model it mirrors.
 */
public final class DemoDataDir {
    /** How far back (in buckets) a late file may land, like a client that retries for up to an hour. */
    private static final int MAX_LATE_BUCKETS = 6;

    private final Path dataDir;
    private final DemoSpec spec;
    private final Connection duckdb;
    private final DemoRows rows;
    private final CoreParquetWriter writer = new CoreParquetWriter();
    private final ParquetInspector inspector = new ParquetInspector();
    private final List<WrittenFile> written = new ArrayList<>();
    private long nextFileId;

    private DemoDataDir(Path dataDir, DemoSpec spec, Connection duckdb) {
        this.dataDir = dataDir;
        this.spec = spec;
        this.duckdb = duckdb;
        this.rows = new DemoRows(spec);
    }

    /**
     * Writes {@code spec} under {@code dataDir/<host>}, which must not exist yet.
     *
     * @throws IllegalArgumentException if the host dir exists
     * @throws UncheckedIOException     on a file system error
     * @throws IllegalStateException    if DuckDB fails to generate or write a file
     */
    public static DemoSummary write(Path dataDir, DemoSpec spec) {
        Path hostDir = dataDir.resolve(spec.host());
        if (Files.exists(hostDir)) {
            throw new IllegalArgumentException(hostDir + " already exists; the demo writes a fresh host dir only");
        }
        try (Connection c = openDuckDb()) {
            return new DemoDataDir(dataDir, spec, c).run();
        } catch (SQLException e) {
            throw new IllegalStateException("DuckDB failed while writing demo data to " + dataDir + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write demo data to " + dataDir, e);
        }
    }

    /**
     * Like {@link DuckDb#openLight()} but with every core: generating millions of rows is CPU-bound hashing and ZSTD.
     * Row order stays as generated because insertion order is preserved (the DuckDB default).
     */
    private static Connection openDuckDb() throws SQLException {
        Properties p = new Properties();
        p.setProperty("autoinstall_known_extensions", "false");
        p.setProperty("autoload_known_extensions", "false");
        p.setProperty("threads", Integer.toString(Math.max(1, Runtime.getRuntime().availableProcessors())));
        p.setProperty("memory_limit", "1GB");
        p.setProperty("temp_directory", "");
        return DriverManager.getConnection("jdbc:duckdb:", p);
    }

    private DemoSummary run() throws IOException, SQLException {
        List<LateFile> late = planLateFiles();
        for (long seq = 0; seq < spec.snapshots(); seq++) {
            List<WrittenFile> files = new ArrayList<>();
            for (int db = 0; db < spec.databases(); db++) {
                for (int table = 0; table < spec.tablesPerDb(); table++) {
                    files.add(writeFile(new DemoFile(db, table, seq, seq, spec.rowsPerFile(), 0, grown(table, seq))));
                    for (LateFile l : late) {
                        if (l.seq() == seq && l.db() == db && l.table() == table) {
                            files.add(writeFile(new DemoFile(db, table, l.bucketSeq(), seq, l.rows(), l.upserts(),
                                    grown(table, seq))));
                        }
                    }
                }
            }
            writeJson(DemoPaths.snapshot(spec, seq), DemoMetadata.snapshot(spec.host(), sequences(seq), files));
            // persisted_at is the snapshot's mtime, and checkpoints group by its month (docs/format.md, "Checkpoints").
            Files.setLastModifiedTime(dataDir.resolve(DemoPaths.snapshot(spec, seq)), FileTime.from(persistedAt(seq)));
        }
        if (spec.checkpoint() && spec.snapshots() >= 2) {
            writeCheckpoint(spec.snapshots() / 2 - 1);
        }
        if (spec.tableIndex()) {
            writeTableIndex();
        }
        long rowsListed = written.stream().mapToLong(f -> f.entry().rowCount()).sum();
        long bytes = written.stream().mapToLong(f -> f.entry().sizeBytes()).sum();
        return new DemoSummary(spec.snapshots(), written.size(), rowsListed, bytes);
    }

    /** A late file: written by snapshot {@code seq} into the bucket of older snapshot {@code bucketSeq}. */
    private record LateFile(long seq, int db, int table, long bucketSeq, int rows, int upserts) {
    }

    /** Decided up front from the seed alone, so the same spec always plans the same late files. */
    private List<LateFile> planLateFiles() {
        SplittableRandom random = new SplittableRandom(spec.seed());
        int lateRows = Math.max(1, spec.rowsPerFile() / 5);
        int upserts = (int) Math.round(lateRows * spec.upsertFraction());
        List<LateFile> late = new ArrayList<>();
        for (long seq = 1; seq < spec.snapshots(); seq++) {
            double draw = random.nextDouble();
            int table = random.nextInt(spec.databases() * spec.tablesPerDb());
            int back = 1 + random.nextInt((int) Math.min(seq, MAX_LATE_BUCKETS));
            if (draw < spec.lateFileFraction()) {
                late.add(new LateFile(seq, table / spec.tablesPerDb(), table % spec.tablesPerDb(), seq - back,
                        lateRows, upserts));
            }
        }
        return late;
    }

    private WrittenFile writeFile(DemoFile f) throws IOException, SQLException {
        long chunkTime = spec.bucketStart(f.bucketSeq());
        String objectPath = DemoPaths.parquet(spec, f.db(), f.table(), chunkTime, walSeq(f.writeSeq()));
        Path file = dataDir.resolve(objectPath);
        Files.createDirectories(file.getParent());
        writer.writeFromSelect(duckdb, file, DemoRows.columns(f.addedLater()), DemoRows.SERIES_KEY, rows.select(f));
        ParquetFacts facts = inspector.inspect(duckdb, file);
        if (facts.rowCount() != f.rows() || facts.minTime() == null) {
            throw new IllegalStateException(file + ": wrote " + facts.rowCount() + " rows, expected " + f.rows());
        }
        ParquetFileEntry entry = new ParquetFileEntry(nextFileId++, objectPath, Files.size(file), facts.rowCount(),
                chunkTime, facts.minTime(), facts.maxTime());
        WrittenFile w = new WrittenFile(f.db(), f.table(), f.writeSeq(), entry);
        written.add(w);
        return w;
    }

    private void writeCheckpoint(long lastSeq) throws IOException {
        List<WrittenFile> covered = written.stream().filter(f -> f.snapshotSeq() <= lastSeq).toList();
        long nextId = covered.stream().mapToLong(f -> f.entry().id()).max().orElse(-1) + 1;
        // One checkpoint, in the month of the last covered snapshot; a run across a month boundary would give the
        // server one per month, which loads to the same file list.
        String yearMonth = DemoPaths.yearMonth(spec.bucketStart(lastSeq + 1));
        DemoMetadata.Sequences seq = new DemoMetadata.Sequences(lastSeq, nextId, walSeq(lastSeq), catalogSeq(lastSeq));
        writeJson(DemoPaths.checkpoint(spec, yearMonth, lastSeq),
                DemoMetadata.checkpoint(spec.host(), yearMonth, seq, covered));
    }

    private void writeTableIndex() throws IOException {
        long lastSeq = spec.snapshots() - 1L;
        for (int db = 0; db < spec.databases(); db++) {
            for (int table = 0; table < spec.tablesPerDb(); table++) {
                int d = db;
                int t = table;
                List<WrittenFile> files = written.stream().filter(f -> f.db() == d && f.table() == t).toList();
                writeJson(DemoPaths.tableIndex(spec, db, table), DemoMetadata.tableIndex(spec.host(), db, table, lastSeq, files));
            }
        }
        writeJson(DemoPaths.conversionMarker(spec), DemoMetadata.conversionMarker(lastSeq));
    }

    private DemoMetadata.Sequences sequences(long seq) {
        return new DemoMetadata.Sequences(seq, nextFileId, walSeq(seq), catalogSeq(seq));
    }

    /** Snapshot n closes WAL file n + 1, as in the fixtures. */
    private static long walSeq(long snapshotSeq) {
        return snapshotSeq + 1;
    }

    /** One catalog change per database and table created, one more per database when added_later appears. */
    private long catalogSeq(long seq) {
        long created = (long) spec.databases() * (1 + spec.tablesPerDb());
        return spec.schemaGrowth() && seq >= growthSeq() ? created + spec.databases() : created;
    }

    private long growthSeq() {
        return spec.snapshots() / 2;
    }

    private boolean grown(int table, long writeSeq) {
        return spec.schemaGrowth() && table == 0 && writeSeq >= growthSeq();
    }

    private Instant persistedAt(long seq) {
        return DemoPaths.instant(spec.bucketStart(seq) + spec.gen1Ns());
    }

    private void writeJson(String objectPath, JsonNode node) throws IOException {
        Path p = dataDir.resolve(objectPath);
        Files.createDirectories(p.getParent());
        Files.write(p, Json.prettyBytes(node, false));
    }
}
