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
 * The files a restarted server would load for one node (§3.1–3.4): the N newest snapshots, or the latest
 * checkpoint of each month plus the snapshots after them. {@code removedIds} are files some snapshot or checkpoint
 * marks as removed; whether the server honours that depends on the load path, so the planner leaves them alone.
 */
public record ServerView(String host, Map<TableKey, List<ParquetFileEntry>> visible, Set<Long> removedIds,
                         int loadedSnapshots, long maxCheckpointSequence) {

    public static ServerView of(HostMetadata m, int n) {
        Map<Long, TableFile> byId = new LinkedHashMap<>();
        Set<Long> removed = new HashSet<>();
        long maxCp = -1;
        List<Checkpoint> latest = latestPerMonth(m.checkpoints());
        for (Checkpoint cp : latest) {
            cp.pendingRemovedIds().forEach(byId::remove);
            removed.addAll(cp.pendingRemovedIds());
            put(byId, cp.files());
            maxCp = Math.max(maxCp, cp.lastSnapshotSequence());
        }
        final long cutoff = maxCp;
        List<Snapshot> loaded = m.snapshots().stream().filter(s -> s.sequence() > cutoff).limit(n).toList();
        // newest first, as the server folds them
        for (Snapshot s : loaded) {
            put(byId, s.files());
        }
        for (Snapshot s : m.snapshots()) {
            removed.addAll(s.removedIds());
        }
        if (!latest.isEmpty()) {
            // on the checkpoint path removals of loaded snapshots do apply (§3.4)
            loaded.forEach(s -> s.removedIds().forEach(byId::remove));
        }
        Map<TableKey, List<ParquetFileEntry>> visible = new TreeMap<>();
        for (TableFile tf : byId.values()) {
            visible.computeIfAbsent(tf.table, k -> new ArrayList<>()).add(tf.entry);
        }
        visible.values().forEach(l -> l.sort(Comparator.comparingLong(ParquetFileEntry::id)));
        return new ServerView(m.host(), visible, Set.copyOf(removed), loaded.size(), maxCp);
    }

    /** The loader takes the first path per month in lexicographic order, i.e. the highest sequence (§2.5). */
    static List<Checkpoint> latestPerMonth(List<Checkpoint> all) {
        Map<String, Checkpoint> perMonth = new TreeMap<>();
        for (Checkpoint c : all) {
            perMonth.merge(c.yearMonth(), c, (a, b) -> a.lastSnapshotSequence() >= b.lastSnapshotSequence() ? a : b);
        }
        return List.copyOf(perMonth.values());
    }

    private static void put(Map<Long, TableFile> byId, Map<TableKey, List<ParquetFileEntry>> files) {
        files.forEach((k, list) -> list.forEach(e -> byId.putIfAbsent(e.id(), new TableFile(k, e))));
    }

    private record TableFile(TableKey table, ParquetFileEntry entry) {
    }
}
