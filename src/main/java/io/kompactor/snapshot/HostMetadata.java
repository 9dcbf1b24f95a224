package io.kompactor.snapshot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.stream.Stream;

/**
 * Everything of one node that lists parquet files: snapshots (newest first), checkpoints, table index files and
 * the table-index marker. Snapshots that cannot be parsed are kept as {@link BadSnapshot}s: the server would
 * refuse to start on them, so the caller reports them, and they still count toward the loaded-snapshot window.
 */
public record HostMetadata(HostLayout layout, List<Snapshot> snapshots, List<BadSnapshot> badSnapshots,
                           List<Checkpoint> checkpoints, List<MetadataDoc> tableIndices,
                           List<MetadataDoc> tableSnapshots, OptionalLong indexMarker) {

    /** A snapshot file that failed to parse, with its sequence number from the file name. */
    public record BadSnapshot(Path file, long sequence, String problem) {
    }

    public static HostMetadata load(Path dataDir, String host) {
        return load(dataDir, host, MetadataCache.none());
    }

    /** As {@link #load(Path, String)}, reusing what {@code cache} already parsed of unchanged files. */
    public static HostMetadata load(Path dataDir, String host, MetadataCache cache) {
        HostLayout layout = new HostLayout(dataDir, host);
        if (!Files.isDirectory(layout.snapshotsDir())) {
            throw new MetadataException(layout.snapshotsDir() + ": no snapshots directory; is '" + host
                    + "' a node of this data dir?");
        }
        List<Snapshot> snapshots = new ArrayList<>();
        List<BadSnapshot> bad = new ArrayList<>();
        // Parsing dominates planning on long histories (10,000s of files): spread it over the cores.
        List<Object> parsed = list(layout.snapshotsDir(), 1).parallelStream()
                .map(p -> parseSnapshot(p, cache))
                .filter(java.util.Objects::nonNull)
                .toList();
        for (Object o : parsed) {
            if (o instanceof Snapshot s) {
                snapshots.add(s);
            } else {
                bad.add((BadSnapshot) o);
            }
        }
        snapshots.sort(Comparator.comparingLong(Snapshot::sequence).reversed());
        List<Checkpoint> checkpoints = new ArrayList<>();
        for (Path p : list(layout.checkpointsDir(), 2)) {
            if (p.getFileName().toString().endsWith(".checkpoint.json")) {
                checkpoints.add(cache.get(p, Checkpoint.class, Checkpoint::read));
            }
        }
        List<MetadataDoc> indices = new ArrayList<>();
        for (Path p : list(layout.dbIndicesDir(), 3)) {
            if (p.getFileName().toString().equals("index.info.json")) {
                indices.add(cache.get(p, MetadataDoc.class, f -> MetadataDoc.read(f, DocKind.TABLE_INDEX)));
            }
        }
        List<MetadataDoc> tableSnapshots = new ArrayList<>();
        for (Path p : list(layout.tableSnapshotsDir(), 3)) {
            if (p.getFileName().toString().endsWith(".info.json")) {
                tableSnapshots.add(cache.get(p, MetadataDoc.class, f -> MetadataDoc.read(f, DocKind.TABLE_SNAPSHOT)));
            }
        }
        OptionalLong marker = OptionalLong.empty();
        if (Files.isRegularFile(layout.indexMarker())) {
            marker = OptionalLong.of(Json.requireLong(Json.readObject(layout.indexMarker()), "last_sequence_number",
                    layout.indexMarker().toString()));
        }
        return new HostMetadata(layout, List.copyOf(snapshots), List.copyOf(bad), List.copyOf(checkpoints),
                List.copyOf(indices), List.copyOf(tableSnapshots), marker);
    }

    /** A Snapshot, a BadSnapshot, or null for files the server ignores (its own staging files {@code name#n}). */
    private static Object parseSnapshot(Path p, MetadataCache cache) {
        Matcher m = Snapshot.FILE_NAME.matcher(p.getFileName().toString());
        if (!m.matches()) {
            return null;
        }
        try {
            return cache.get(p, Snapshot.class, Snapshot::read);
        } catch (MetadataException e) {
            return new BadSnapshot(p, -1L - Long.parseUnsignedLong(m.group(1)), e.getMessage());
        }
    }

    private static List<Path> list(Path dir, int depth) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(dir, depth)) {
            return s.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new MetadataException(dir + ": cannot list: " + e.getMessage(), e);
        }
    }

    public String host() {
        return layout.host();
    }

    /** Era of the newest readable snapshot: what the running server writes. */
    public SnapshotEra era() {
        return snapshots.isEmpty() ? SnapshotEra.V1_REMOVED_FILES : snapshots.get(0).era();
    }

    /** Every metadata document that lists parquet files: what a commit may have to rewrite. */
    public List<MetadataDoc> allDocs() {
        List<MetadataDoc> docs = new ArrayList<>();
        snapshots.forEach(s -> docs.add(s.doc()));
        checkpoints.forEach(c -> docs.add(c.doc()));
        docs.addAll(tableIndices);
        docs.addAll(tableSnapshots);
        return docs;
    }

    /** Largest file id listed anywhere: ids must stay unique across all of them (§3.9 step 4). */
    public long maxFileId() {
        long max = -1;
        for (MetadataDoc d : allDocs()) {
            for (ParquetFileEntry e : d.allFiles()) {
                max = Math.max(max, e.id());
            }
        }
        for (Snapshot s : snapshots) {
            max = Math.max(max, s.nextFileId() - 1);
        }
        return max;
    }
}
