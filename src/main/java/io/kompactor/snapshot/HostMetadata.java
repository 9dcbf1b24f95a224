package io.kompactor.snapshot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * Everything of one node that lists parquet files: snapshots (newest first), checkpoints, table index files and
 * the table-index marker. The metadata is the host's map (docs/format.md, "A broken file stops its host"): a file
 * that cannot be parsed, or an entry whose path is not a valid object path under the node's tree, makes the whole
 * load fail with a message naming every such file, so nothing of that host is planned, rewritten or retired.
 */
public record HostMetadata(HostLayout layout, List<Snapshot> snapshots, List<Checkpoint> checkpoints,
                           List<MetadataDoc> tableIndices, List<MetadataDoc> tableSnapshots, OptionalLong indexMarker) {

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
        List<String> problems = java.util.Collections.synchronizedList(new ArrayList<>());
        // Parsing dominates planning on long histories (10,000s of files): spread it over the cores.
        List<Snapshot> snapshots = new ArrayList<>(list(layout.snapshotsDir(), 1).parallelStream()
                .filter(p -> Snapshot.FILE_NAME.matcher(p.getFileName().toString()).matches()) // not name#n staging
                .map(p -> parse(p, f -> cache.get(f, Snapshot.class, Snapshot::read), problems))
                .filter(java.util.Objects::nonNull)
                .toList());
        snapshots.sort(Comparator.comparingLong(Snapshot::sequence).reversed());
        List<Checkpoint> checkpoints = new ArrayList<>();
        for (Path p : list(layout.checkpointsDir(), 2)) {
            if (p.getFileName().toString().endsWith(".checkpoint.json")) {
                add(checkpoints, parse(p, f -> cache.get(f, Checkpoint.class, Checkpoint::read), problems));
            }
        }
        List<MetadataDoc> indices = new ArrayList<>();
        for (Path p : list(layout.dbIndicesDir(), 3)) {
            if (p.getFileName().toString().equals("index.info.json")) {
                add(indices, parse(p, f -> cache.get(f, MetadataDoc.class, x -> MetadataDoc.read(x, DocKind.TABLE_INDEX)),
                        problems));
            }
        }
        List<MetadataDoc> tableSnapshots = new ArrayList<>();
        for (Path p : list(layout.tableSnapshotsDir(), 3)) {
            if (p.getFileName().toString().endsWith(".info.json")) {
                add(tableSnapshots, parse(p, f -> cache.get(f, MetadataDoc.class,
                        x -> MetadataDoc.read(x, DocKind.TABLE_SNAPSHOT)), problems));
            }
        }
        OptionalLong marker = OptionalLong.empty();
        if (Files.isRegularFile(layout.indexMarker())) {
            try {
                marker = OptionalLong.of(Json.requireLong(Json.readObject(layout.indexMarker()), "last_sequence_number",
                        layout.indexMarker().toString()));
            } catch (MetadataException e) {
                problems.add(e.getMessage());
            }
        }
        HostMetadata m = new HostMetadata(layout, List.copyOf(snapshots), List.copyOf(checkpoints),
                List.copyOf(indices), List.copyOf(tableSnapshots), marker);
        for (MetadataDoc d : m.allDocs()) {
            for (ParquetFileEntry e : d.allFiles()) {
                String bad = ObjectPaths.problem(e.path(), host);
                if (bad != null) {
                    problems.add(d.file() + ": entry id " + e.id() + " has " + bad
                            + "; not a file of this node's tree");
                    break;
                }
            }
        }
        if (!problems.isEmpty()) {
            java.util.List<String> sorted = new ArrayList<>(problems);
            java.util.Collections.sort(sorted);
            throw new MetadataException(sorted.size() == 1 ? sorted.get(0)
                    : sorted.size() + " unreadable metadata files: " + String.join("; ", sorted));
        }
        return m;
    }

    private static <T> T parse(Path p, java.util.function.Function<Path, T> read, List<String> problems) {
        try {
            return read.apply(p);
        } catch (MetadataException e) {
            problems.add(e.getMessage());
            return null;
        }
    }

    private static <T> void add(List<T> list, T item) {
        if (item != null) {
            list.add(item);
        }
    }

    private static List<Path> list(Path dir, int depth) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(dir, depth)) {
            return s.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new MetadataException(dir + ": cannot list: " + io.kompactor.fs.FileOps.reason(e), e);
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

    /** Largest file id listed anywhere: ids must stay unique across all of them (docs/format.md, "File ids"). */
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
