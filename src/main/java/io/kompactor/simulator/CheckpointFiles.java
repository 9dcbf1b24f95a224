package io.kompactor.simulator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code <node>/snapshot-checkpoints/YYYY-MM/}: listing, writing and pruning
 * (docs/format.md, "Layout of a data dir", "Checkpoints", "What a running server writes later").
 */
final class CheckpointFiles {
    /** {@code CHECKPOINTS_TO_RETAIN_PER_MONTH} (docs/format.md, "Checkpoints"). */
    static final int KEEP_PER_MONTH = 2;

    private CheckpointFiles() {
    }

    /**
     * The latest checkpoint of each month, months oldest first. "Latest" is the first name in sort order (names are
     * inverted sequences) and the sequence is read from that name, not from the content (docs/format.md,
     * "Checkpoints").
     */
    static List<CheckpointRef> latestPerMonth(NodePaths node) {
        List<CheckpointRef> out = new ArrayList<>();
        for (Path monthDir : monthDirs(node)) {
            List<Path> files = SnapshotFiles.listSorted(monthDir, NodePaths.CHECKPOINT_SUFFIX);
            for (Path f : files) {
                long seq = NodePaths.sequenceOf(f.getFileName().toString(), NodePaths.CHECKPOINT_SUFFIX);
                if (seq >= 0) {
                    out.add(new CheckpointRef(YearMonth.parse(monthDir.getFileName().toString()), seq, f));
                    break;
                }
            }
        }
        out.sort(Comparator.comparing(CheckpointRef::month));
        return out;
    }

    static CheckpointDoc read(CheckpointRef ref) {
        return CheckpointDoc.parse(SimJson.readObject(ref.file()), ref.file().toString());
    }

    /** Puts the checkpoint as a new file named after its last sequence, then deletes all but the newest 2 of its month. */
    static Path write(NodePaths node, CheckpointDoc cp) {
        Path target = node.checkpoint(cp.month(), cp.lastSnapshotSeq());
        SimJson.putJson(target, cp.toJson());
        List<Path> files = SnapshotFiles.listSorted(target.getParent(), NodePaths.CHECKPOINT_SUFFIX);
        for (Path old : files.subList(Math.min(KEEP_PER_MONTH, files.size()), files.size())) {
            try {
                Files.deleteIfExists(old);
            } catch (IOException e) {
                throw new SimulatorException("cannot delete old checkpoint " + old, e);
            }
        }
        return target;
    }

    private static List<Path> monthDirs(NodePaths node) {
        Path dir = node.checkpointsDir();
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isDirectory).filter(CheckpointFiles::isMonth).toList();
        } catch (IOException e) {
            throw new SimulatorException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    private static boolean isMonth(Path p) {
        try {
            YearMonth.parse(p.getFileName().toString());
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }
}
