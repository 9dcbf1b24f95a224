package io.kompactor.simulator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code <node>/snapshots/}: listing, reading and writing snapshot files
 * (docs/format.md, "Layout of a data dir", "How many snapshots").
 */
final class SnapshotFiles {
    private SnapshotFiles() {
    }

    /**
     * Every snapshot file, names ascending: the names are {@code u64::MAX - seq}, so this is newest first, the order
     * {@code load_snapshots} pages through (docs/format.md, "How many snapshots"). Staging files ({@code name#n}) do
     * not match the suffix.
     */
    static List<Path> listNewestFirst(NodePaths node) {
        return listSorted(node.snapshotsDir(), NodePaths.SNAPSHOT_SUFFIX);
    }

    static List<Path> listSorted(Path dir, String suffix) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(suffix) && Files.isRegularFile(p))
                    .sorted(Comparator.comparing(p -> p.getFileName().toString())).toList();
        } catch (IOException e) {
            throw new SimulatorException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Reads one snapshot; its mtime becomes {@code persisted_at} (docs/format.md, "Fields and eras"). */
    static SnapshotDoc read(Path file) {
        return SnapshotDoc.parse(SimJson.readObject(file), file.toString(), mtime(file));
    }

    /**
     * Puts a new snapshot and gives it the simulated clock's time as mtime, which checkpoints group by
     * (docs/format.md, "Checkpoints").
     */
    static void write(NodePaths node, SnapshotDoc doc) {
        Path target = node.snapshot(doc.snapshotSeq());
        SimJson.putJson(target, doc.toJson());
        try {
            Files.setLastModifiedTime(target, FileTime.from(doc.persistedAt()));
        } catch (IOException e) {
            throw new SimulatorException("cannot set the mtime of " + target, e);
        }
    }

    static Instant mtime(Path file) {
        try {
            return Files.getLastModifiedTime(file).toInstant();
        } catch (NoSuchFileException e) {
            throw new SimulatorException(file + ": vanished while loading", e);
        } catch (IOException e) {
            throw new SimulatorException("cannot stat " + file, e);
        }
    }
}
