package io.kompactor.testing;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kompactor.snapshot.HostMetadata;
import io.kompactor.snapshot.Json;
import io.kompactor.snapshot.ParquetFileEntry;
import io.kompactor.snapshot.Snapshot;
import io.kompactor.snapshot.TableKey;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the server's metadata files of one node as small JSON documents (no parquet): snapshots, checkpoints, the
 * table index, table-index snapshots and the conversion marker, in the shapes of docs/format.md. For unit tests of
 * the rules that read them (planner, placement); totals are computed from the listed files, as the server does.
 */
public final class MetadataFiles {
    private static final JsonNodeFactory NF = JsonNodeFactory.instance;

    private final Path dataDir;
    private final String host;

    public MetadataFiles(Path dataDir, String host) {
        this.dataDir = dataDir;
        this.host = host;
        try {
            Files.createDirectories(dataDir.resolve(host).resolve("snapshots"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path dataDir() {
        return dataDir;
    }

    public String host() {
        return host;
    }

    /** An entry with made-up but consistent stats: 10 rows, {@code min_time = chunk_time}, {@code max_time} a bit later. */
    public static ParquetFileEntry entry(long id, String path, long chunkTime) {
        return new ParquetFileEntry(id, path, 1000 + id, 10, chunkTime, chunkTime, chunkTime + 60_000_000_000L);
    }

    /** Nanoseconds since the epoch of an ISO instant. */
    public static long ns(String instant) {
        Instant i = Instant.parse(instant);
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }

    /** Files of one table. */
    public static Map<TableKey, List<ParquetFileEntry>> of(TableKey table, ParquetFileEntry... files) {
        Map<TableKey, List<ParquetFileEntry>> m = new LinkedHashMap<>();
        m.put(table, List.of(files));
        return m;
    }

    /** A 3.2+ snapshot ({@code "version": "1"}, {@code removed_files} empty) listing {@code files}. */
    public Path snapshot(long seq, Instant mtime, Map<TableKey, List<ParquetFileEntry>> files) {
        return snapshot(seq, mtime, files, Map.of());
    }

    /** A 3.2+ snapshot listing {@code files} and marking {@code removed} as removed. */
    public Path snapshot(long seq, Instant mtime, Map<TableKey, List<ParquetFileEntry>> files,
                         Map<TableKey, List<ParquetFileEntry>> removed) {
        ObjectNode o = NF.objectNode();
        o.put("version", "1");
        o.put("node_id", host);
        o.put("next_file_id", maxId(files) + 1);
        o.put("snapshot_sequence_number", seq);
        o.put("wal_file_sequence_number", seq);
        o.put("catalog_sequence_number", 0);
        totals(o, files);
        o.set("databases", databases(files));
        o.set("removed_files", databases(removed));
        return write(dataDir.resolve(host).resolve("snapshots").resolve(Snapshot.fileStem(seq) + ".info.json"), o, mtime);
    }

    /** A 3.8.2+ checkpoint of month {@code yearMonth} ("2025-01") up to snapshot {@code lastSeq}. */
    public Path checkpoint(String yearMonth, long lastSeq, Map<TableKey, List<ParquetFileEntry>> files) {
        ObjectNode o = NF.objectNode();
        o.put("version", "1");
        o.put("node_id", host);
        o.put("year_month", yearMonth);
        o.put("last_snapshot_sequence_number", lastSeq);
        o.put("next_file_id", maxId(files) + 1);
        o.put("wal_file_sequence_number", lastSeq);
        o.put("catalog_sequence_number", 0);
        totals(o, files);
        o.set("databases", databases(files));
        o.set("pending_removed_files", NF.arrayNode());
        return write(dataDir.resolve(host).resolve("snapshot-checkpoints").resolve(yearMonth)
                .resolve(Snapshot.fileStem(lastSeq) + ".checkpoint.json"), o, null);
    }

    /** {@code db-indices/<db>/<table>/index.info.json}. */
    public Path tableIndex(TableKey table, long latestSeq, List<ParquetFileEntry> files) {
        ObjectNode o = NF.objectNode();
        o.put("node_id", host);
        o.put("db_id", table.dbId());
        o.put("table_id", table.tableId());
        ArrayNode arr = NF.arrayNode();
        files.stream().sorted(java.util.Comparator.comparingLong(ParquetFileEntry::id)).forEach(f -> arr.add(f.toJson()));
        o.set("files", arr);
        o.put("latest_snapshot_sequence_number", latestSeq);
        totals(o, Map.of(table, files));
        return write(dataDir.resolve(host).resolve("db-indices").resolve(Long.toString(table.dbId()))
                .resolve(Long.toString(table.tableId())).resolve("index.info.json"), o, null);
    }

    /** {@code table-snapshots/<db>/<table>/<seq:020>.info.json}: one snapshot's files of one table, not yet indexed. */
    public Path tableSnapshot(TableKey table, long seq, List<ParquetFileEntry> files) {
        ObjectNode o = NF.objectNode();
        o.put("node_id", host);
        o.put("db_id", table.dbId());
        o.put("table_id", table.tableId());
        o.put("snapshot_sequence_number", seq);
        ArrayNode arr = NF.arrayNode();
        files.forEach(f -> arr.add(f.toJson()));
        o.set("files", arr);
        o.set("removed_files", NF.arrayNode());
        totals(o, Map.of(table, files));
        String name = String.format("%020d.info.json", seq);
        return write(dataDir.resolve(host).resolve("table-snapshots").resolve(Long.toString(table.dbId()))
                .resolve(Long.toString(table.tableId())).resolve(name), o, null);
    }

    /** {@code table-index-conversion-completed}: snapshots up to {@code lastSeq} are in the table index. */
    public Path indexMarker(long lastSeq) {
        ObjectNode o = NF.objectNode();
        o.put("last_sequence_number", lastSeq);
        return write(dataDir.resolve(host).resolve("table-index-conversion-completed"), o, null);
    }

    public HostMetadata load() {
        return HostMetadata.load(dataDir, host);
    }

    private static long maxId(Map<TableKey, List<ParquetFileEntry>> files) {
        return files.values().stream().flatMap(List::stream).mapToLong(ParquetFileEntry::id).max().orElse(0);
    }

    private static void totals(ObjectNode o, Map<TableKey, List<ParquetFileEntry>> files) {
        List<ParquetFileEntry> all = new ArrayList<>();
        files.values().forEach(all::addAll);
        o.put("parquet_size_bytes", all.stream().mapToLong(ParquetFileEntry::sizeBytes).sum());
        o.put("row_count", all.stream().mapToLong(ParquetFileEntry::rowCount).sum());
        o.put("min_time", all.stream().mapToLong(ParquetFileEntry::minTime).min().orElse(Long.MAX_VALUE));
        o.put("max_time", all.stream().mapToLong(ParquetFileEntry::maxTime).max().orElse(Long.MIN_VALUE));
    }

    /** serde's {@code SerdeVecMap<DbId, DatabaseTables>}: {@code [[db, {"tables": [[table, [files]]]}]]}. */
    private static ArrayNode databases(Map<TableKey, List<ParquetFileEntry>> files) {
        Map<Long, Map<Long, List<ParquetFileEntry>>> byDb = new LinkedHashMap<>();
        files.forEach((k, v) -> byDb.computeIfAbsent(k.dbId(), d -> new LinkedHashMap<>()).put(k.tableId(), v));
        ArrayNode dbs = NF.arrayNode();
        byDb.forEach((db, tables) -> {
            ArrayNode pair = dbs.addArray();
            pair.add(db);
            ArrayNode t = pair.addObject().putArray("tables");
            tables.forEach((table, list) -> {
                ArrayNode tp = t.addArray();
                tp.add(table);
                ArrayNode arr = tp.addArray();
                list.forEach(f -> arr.add(f.toJson()));
            });
        });
        return dbs;
    }

    private static Path write(Path file, ObjectNode o, Instant mtime) {
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, Json.prettyBytes(o, true));
            if (mtime != null) {
                Files.setLastModifiedTime(file, FileTime.from(mtime));
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
