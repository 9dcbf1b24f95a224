package io.kompactor.snapshot;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The files a restarted server would load for one node (docs/format.md, "How a restarting server loads files"): the
 * N newest snapshots, or, when checkpoints reach into that window, the latest checkpoint of each month the overlap
 * filter keeps plus the newest snapshots after them. {@code removedIds} are files some snapshot or checkpoint marks as
 * removed; whether the server honours that depends on the load path, so the planner leaves them alone.
 */
public record ServerView(String host, Map<TableKey, List<ParquetFileEntry>> visible, Set<Long> removedIds,
                         int loadedSnapshots, long maxCheckpointSequence) {

    public static ServerView of(HostMetadata m, int n) {
        Map<Long, TableFile> byId = new LinkedHashMap<>();
        Set<Long> removed = new HashSet<>();
        long latest = m.snapshots().isEmpty() ? 0 : m.snapshots().get(0).sequence();
        List<Checkpoint> kept = overlapping(latestPerMonth(m.checkpoints()), cutoff(latest, n));
        long maxCp = -1;
        for (Checkpoint cp : kept) {
            cp.pendingRemovedIds().forEach(byId::remove);
            removed.addAll(cp.pendingRemovedIds());
            put(byId, cp.files());
            maxCp = Math.max(maxCp, sequenceOf(cp));
        }
        final long cutoff = maxCp;
        List<Snapshot> loaded = m.snapshots().stream().limit(n).filter(s -> s.sequence() > cutoff).toList();
        // newest first, as the server folds them
        for (Snapshot s : loaded) {
            put(byId, s.files());
        }
        for (Snapshot s : m.snapshots()) {
            removed.addAll(s.removedIds());
        }
        if (!kept.isEmpty()) {
            // on the checkpoint path removals of loaded snapshots do apply
            loaded.forEach(s -> s.removedIds().forEach(byId::remove));
        }
        Map<TableKey, List<ParquetFileEntry>> visible = new TreeMap<>();
        for (TableFile tf : byId.values()) {
            visible.computeIfAbsent(tf.table, k -> new ArrayList<>()).add(tf.entry);
        }
        visible.values().forEach(l -> l.sort(Comparator.comparingLong(ParquetFileEntry::id)));
        return new ServerView(m.host(), visible, Set.copyOf(removed), loaded.size(), maxCp);
    }

    /** {@code latest_snapshot_seq - N}, never below 0 (sequences are unsigned). */
    static long cutoff(long latestSequence, int n) {
        return Math.max(0, latestSequence - n);
    }

    /**
     * {@code list_latest_checkpoints_per_month(Some(cutoff))}: of the latest checkpoint per month, months oldest first,
     * month i is kept when its sequence reaches the cutoff or month i+1's does (month i+1's range then contains the
     * cutoff). Older months are dropped although they list files; with none kept the server loads snapshots only.
     */
    static List<Checkpoint> overlapping(List<Checkpoint> latestPerMonth, long cutoff) {
        List<Checkpoint> kept = new ArrayList<>();
        for (int i = 0; i < latestPerMonth.size(); i++) {
            boolean own = Long.compareUnsigned(sequenceOf(latestPerMonth.get(i)), cutoff) >= 0;
            boolean next = i + 1 < latestPerMonth.size()
                    && Long.compareUnsigned(sequenceOf(latestPerMonth.get(i + 1)), cutoff) >= 0;
            if (own || next) {
                kept.add(latestPerMonth.get(i));
            }
        }
        return kept;
    }

    /** The server reads a checkpoint's sequence from its file name ({@code u64::MAX - seq}), not from its JSON. */
    static long sequenceOf(Checkpoint c) {
        String name = c.doc().file().getFileName().toString();
        int dot = name.indexOf('.');
        try {
            return -1L - Long.parseUnsignedLong(name.substring(0, dot));
        } catch (RuntimeException e) {
            return c.lastSnapshotSequence();
        }
    }

    /**
     * The loader takes the first path per month in lexicographic order, i.e. the highest sequence
     * (docs/format.md, "Checkpoints").
     */
    static List<Checkpoint> latestPerMonth(List<Checkpoint> all) {
        Map<String, Checkpoint> perMonth = new TreeMap<>();
        for (Checkpoint c : all) {
            perMonth.merge(c.yearMonth(), c, (a, b) -> Long.compareUnsigned(sequenceOf(a), sequenceOf(b)) >= 0 ? a : b);
        }
        return List.copyOf(perMonth.values());
    }

    private static void put(Map<Long, TableFile> byId, Map<TableKey, List<ParquetFileEntry>> files) {
        files.forEach((k, list) -> list.forEach(e -> byId.putIfAbsent(e.id(), new TableFile(k, e))));
    }

    private record TableFile(TableKey table, ParquetFileEntry entry) {
    }
}
