package io.kompactor.simulator;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The server's in-memory checkpoints per month and when it writes them (docs/format.md,
 * "What a running server writes later"). Built from what the process loaded at start plus what it persisted since and
 * never re-read from disk: after an external tool rewrote the metadata, the next checkpoint written lists the ORIGINAL
 * files again, and a restart prefers it over the rewritten snapshots it covers.
 */
final class CheckpointCache {
    private final NodePaths node;
    private final Duration interval;
    private final Map<YearMonth, MonthCheckpoint> months = new TreeMap<>();
    private YearMonth current;
    private Instant lastWrite;

    private CheckpointCache(NodePaths node, Duration interval, Instant start) {
        this.node = node;
        this.interval = interval;
        this.lastWrite = start;
    }

    /**
     * From the restart's load: the loaded checkpoints, then the snapshots loaded above them, oldest first, each into
     * its month. Without checkpoints this is the 3.9+ startup build (docs/format.md, "Checkpoints"), which folds the
     * loaded snapshot files (as read from disk) per month oldest to newest and skips snapshots with
     * {@code max_time == i64::MIN}, i.e. those that only remove files.
     *
     * @param interval {@code --checkpoint-interval}; null: checkpoints are never written while running
     */
    static CheckpointCache warm(NodePaths node, LoadedState loaded, Duration interval, Instant start) {
        CheckpointCache c = new CheckpointCache(node, interval, start);
        loaded.checkpoints().forEach(cp -> c.months.put(cp.month(), MonthCheckpoint.of(cp)));
        List<SnapshotDoc> oldestFirst = new ArrayList<>(loaded.snapshots());
        Collections.reverse(oldestFirst);
        for (SnapshotDoc s : oldestFirst) {
            if (loaded.fromCheckpoints() || s.maxTime() != Long.MIN_VALUE) {
                c.apply(s);
            }
        }
        if (c.current == null && !loaded.checkpoints().isEmpty()) {
            c.current = loaded.checkpoints().get(loaded.checkpoints().size() - 1).month();
        }
        return c;
    }

    /** The 3.9+ startup build's output: one checkpoint per month the cache holds. */
    List<Path> writeAll() {
        List<Path> written = new ArrayList<>();
        months.values().stream().filter(m -> !m.isEmpty()).forEach(m -> written.add(CheckpointFiles.write(node, m.toDoc())));
        return written;
    }

    /**
     * After a snapshot: update the month of its {@code persisted_at}; with an interval, write the previous
     * month's checkpoint at a month rollover, and the current one once the interval has passed since the last
     * write. Each write is a new file; only the newest 2 per month stay.
     */
    List<Path> afterSnapshot(SnapshotDoc s) {
        YearMonth previous = current;
        apply(s);
        List<Path> written = new ArrayList<>();
        if (interval == null) {
            return written;
        }
        if (previous != null && !previous.equals(current) && months.containsKey(previous)) {
            written.add(CheckpointFiles.write(node, months.get(previous).toDoc()));
        }
        if (!Duration.between(lastWrite, s.persistedAt()).minus(interval).isNegative()) {
            written.add(CheckpointFiles.write(node, months.get(current).toDoc()));
            lastWrite = s.persistedAt();
        }
        // Only the current and the previous month can still be written; older ones need no memory.
        months.keySet().removeIf(m -> m.isBefore(current.minusMonths(1)));
        return written;
    }

    /** The cached checkpoint of {@code month}, as it would be written now. */
    CheckpointDoc cached(YearMonth month) {
        MonthCheckpoint m = months.get(month);
        return m == null ? null : m.toDoc();
    }

    private void apply(SnapshotDoc s) {
        current = MonthCheckpoint.monthOf(s.persistedAt());
        months.computeIfAbsent(current, m -> new MonthCheckpoint(node.nodeId(), m)).apply(s);
    }
}
