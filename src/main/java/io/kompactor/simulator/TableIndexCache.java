package io.kompactor.simulator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The table index (3.3+, docs/format.md, "Table index", "What a running server writes later") and the server's cached
 * copy of it. Snapshots newer than the conversion marker are split into {@code table-snapshots/}, merged into each
 * table's index (union of files, minus every removed id, whatever the order) and deleted. The cache is loaded once, at
 * start; afterwards each index is written back WHOLE from memory, so an external edit of {@code index.info.json} is
 * overwritten.
 */
final class TableIndexCache {
    private final NodePaths node;
    private final Map<TableRef, TableIndexDoc> cached = new TreeMap<>();

    private TableIndexCache(NodePaths node) {
        this.node = node;
    }

    /**
     * {@code TableIndexCache::initialize()} (docs/format.md, "How a restarting server loads files", "Table index"):
     * split, merge, then cache every index on disk.
     */
    static TableIndexCache initialize(NodePaths node) {
        TableIndexCache c = new TableIndexCache(node);
        c.update();
        for (TableRef t : indexedTables(node)) {
            c.cached.computeIfAbsent(t, c::readIndex);
        }
        return c;
    }

    /** What runs before each retention check: split new snapshots, merge them into the CACHED indices, write those. */
    void update() {
        split();
        merge();
    }

    /**
     * Removes files whose {@code max_time} is below the cutoff, deleting each object BY THE PATH THE INDEX LISTS
     * (docs/format.md, "Table index"); returns them per table. The indices still have to be written back.
     */
    Map<TableRef, List<ParquetFile>> purgeExpired(long cutoffNs) {
        Map<TableRef, List<ParquetFile>> expired = new LinkedHashMap<>();
        cached.replaceAll((t, index) -> {
            List<ParquetFile> gone = index.files().stream().filter(f -> f.maxTime() < cutoffNs).toList();
            if (gone.isEmpty()) {
                return index;
            }
            gone.forEach(f -> ObjectStore.delete(node.file(f.path()), node.dataDir()));
            expired.put(t, gone);
            List<ParquetFile> kept = new ArrayList<>(index.files());
            kept.removeAll(gone);
            return new TableIndexDoc(index.nodeId(), t, kept, index.latestSnapshotSeq());
        });
        return expired;
    }

    /** Writes every cached index back whole; returns how many. */
    int writeAll() {
        cached.values().forEach(index -> SimJson.putJson(node.tableIndex(index.table()), index.toJson()));
        return cached.size();
    }

    TableIndexDoc cached(TableRef t) {
        return cached.get(t);
    }

    /**
     * {@code split_persisted_snapshots_to_table_index_snapshots}: every snapshot above the marker (all of them
     * without one) becomes per-table snapshots, then the marker records the newest sequence. Snapshots at or
     * below the marker are never read again (docs/format.md, "Table index").
     */
    private void split() {
        OptionalLong marker = readMarker();
        List<Path> names = SnapshotFiles.listNewestFirst(node);
        long newest = -1;
        for (int i = names.size() - 1; i >= 0; i--) {
            Path p = names.get(i);
            long seq = NodePaths.sequenceOf(p.getFileName().toString(), NodePaths.SNAPSHOT_SUFFIX);
            if (seq < 0) {
                // 3.3+ requires every name in snapshots/ to be <20 digits>.info.json (docs/format.md, "Staging files").
                throw new SimulatorException(p + ": not a snapshot file name; the table index cannot start");
            }
            if (marker.isPresent() && seq <= marker.getAsLong()) {
                continue;
            }
            splitOne(SnapshotFiles.read(p));
            newest = Math.max(newest, seq);
        }
        if (newest >= 0) {
            writeMarker(newest);
        }
    }

    private void splitOne(SnapshotDoc s) {
        Set<TableRef> tables = new HashSet<>(s.databases().byTable().keySet());
        tables.addAll(s.removedFiles().byTable().keySet());
        for (TableRef t : tables) {
            TableSnapshotDoc ts = new TableSnapshotDoc(s.nodeId(), t, s.snapshotSeq(), s.databases().files(t),
                    s.removedFiles().files(t).stream().map(ParquetFile::id).toList());
            SimJson.putJson(node.tableSnapshot(t, s.snapshotSeq()), ts.toJson());
        }
    }

    /** Merges each table's pending table snapshots into its index (cached, else from disk), writes it, deletes them. */
    private void merge() {
        for (Map.Entry<TableRef, List<Path>> e : pendingTableSnapshots().entrySet()) {
            TableRef t = e.getKey();
            TableIndexDoc index = cached.containsKey(t) ? cached.get(t) : readIndex(t);
            List<ParquetFile> files = new ArrayList<>(index.files());
            Set<Long> removed = new HashSet<>();
            long latest = index.latestSnapshotSeq();
            for (Path p : e.getValue()) {
                TableSnapshotDoc ts = TableSnapshotDoc.parse(SimJson.readObject(p), p.toString());
                files.addAll(ts.files());
                removed.addAll(ts.removedIds());
                latest = Math.max(latest, ts.snapshotSeq());
            }
            files.removeIf(f -> removed.contains(f.id()));
            TableIndexDoc merged = new TableIndexDoc(node.nodeId(), t, files, latest);
            SimJson.putJson(node.tableIndex(t), merged.toJson());
            cached.put(t, merged);
            e.getValue().forEach(p -> ObjectStore.delete(p, node.node()));
        }
    }

    private Map<TableRef, List<Path>> pendingTableSnapshots() {
        Map<TableRef, List<Path>> out = new TreeMap<>();
        for (TableRef t : tableDirs(node.tableSnapshotsDir())) {
            Path dir = node.tableSnapshotsDir().resolve(Long.toString(t.dbId())).resolve(Long.toString(t.tableId()));
            List<Path> files = SnapshotFiles.listSorted(dir, NodePaths.SNAPSHOT_SUFFIX);
            if (!files.isEmpty()) {
                out.put(t, files);
            }
        }
        return out;
    }

    private TableIndexDoc readIndex(TableRef t) {
        Path p = node.tableIndex(t);
        return Files.isRegularFile(p) ? TableIndexDoc.parse(SimJson.readObject(p), p.toString())
                : TableIndexDoc.empty(node.nodeId(), t);
    }

    private static List<TableRef> indexedTables(NodePaths node) {
        return tableDirs(node.dbIndicesDir()).stream().filter(t -> Files.isRegularFile(node.tableIndex(t))).toList();
    }

    /** {@code <dir>/<db_id>/<table_id>/} directories with numeric names. */
    private static List<TableRef> tableDirs(Path dir) {
        List<TableRef> out = new ArrayList<>();
        for (Path db : numericSubdirs(dir)) {
            for (Path table : numericSubdirs(db)) {
                out.add(new TableRef(Long.parseLong(db.getFileName().toString()),
                        Long.parseLong(table.getFileName().toString())));
            }
        }
        return out;
    }

    private static List<Path> numericSubdirs(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isDirectory).filter(p -> p.getFileName().toString().matches("\\d+")).toList();
        } catch (IOException e) {
            throw new SimulatorException("cannot list " + dir, e);
        }
    }

    private OptionalLong readMarker() {
        Path p = node.conversionMarker();
        if (!Files.isRegularFile(p)) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(SimJson.longField(SimJson.readObject(p), "last_sequence_number", p.toString()));
    }

    private void writeMarker(long seq) {
        SimJson.putJson(node.conversionMarker(), SimJson.MAPPER.createObjectNode().put("last_sequence_number", seq));
    }
}
