package io.kompactor.simulator;

import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;

/**
 * What a restarting 3.9+ / HEAD server loads into {@code PersistedFiles} (docs/format.md,
 * "How a restarting server loads files"). Read-only: it writes nothing, so the test referee can run it on the shared
 * fixtures. Every era parses (alpha {@code writer_id}, 3.0 name paths, 3.2+ {@code removed_files}), although a real 3.x
 * server rejects the alpha shape.
 */
public final class RestartLoader {
    private RestartLoader() {
    }

    public static LoadedState load(Path dataDir, String nodeId, LoadOptions options) {
        return load(new NodePaths(dataDir, nodeId), options);
    }

    static LoadedState load(NodePaths node, LoadOptions options) {
        List<Path> names = SnapshotFiles.listNewestFirst(node);
        List<CheckpointRef> perMonth = CheckpointFiles.latestPerMonth(node);
        if (names.isEmpty() && perMonth.isEmpty()) {
            return LoadedState.empty();
        }
        // The latest snapshot alone decides the cutoff (`load_snapshots(1)`) and, by its era, the default N.
        SnapshotDoc newest = names.isEmpty() ? null : SnapshotFiles.read(names.get(0));
        int n = options.n(newest);
        long latestSeq = newest != null ? newest.snapshotSeq()
                : perMonth.stream().mapToLong(CheckpointRef::lastSnapshotSeq).max().orElse(-1);
        List<SnapshotDoc> window = names.stream().limit(n)
                .map(p -> p.equals(names.get(0)) ? newest : SnapshotFiles.read(p)).toList();

        List<CheckpointRef> kept = CheckpointFilter.keep(perMonth, CheckpointFilter.cutoff(latestSeq, n));
        if (kept.isEmpty()) {
            // No month reaches the cutoff, so there are snapshots (the newest is above every checkpoint).
            return fromSnapshots(window, newest, n, options.foldRule());
        }
        return fromCheckpoints(kept.stream().map(CheckpointFiles::read).toList(), window, newest, n, options.foldRule());
    }

    /**
     * {@code new_from_persisted_snapshots}: the N newest snapshots folded newest first. Under the server's rule adds
     * are not de-duplicated here (docs/format.md, "removed_files and the newest-first fold"). The sequences and the
     * file id seed come from the newest snapshot even when N is 0 (possible in 3.2–3.8.1, docs/format.md,
     * "How many snapshots"): the server finds it with {@code load_snapshots(1)}.
     */
    private static LoadedState fromSnapshots(List<SnapshotDoc> window, SnapshotDoc newest, int n, FoldRule rule) {
        FileMap files = new FileMap();
        fold(files, window, rule, rule == FoldRule.ORDER_INDEPENDENT);
        return new LoadedState(files.toListing(), window, List.of(), n, newest.snapshotSeq(), newest.walSeq(),
                newest.catalogSeq(), newest.nextFileId());
    }

    /**
     * {@code new_from_checkpoints_and_snapshots}: the kept checkpoints merged in year_month order, each applying
     * its {@code pending_removed_files} to the earlier months first, then the snapshots above the newest of them
     * (at most N, newest first) with de-duplicating adds.
     */
    private static LoadedState fromCheckpoints(List<CheckpointDoc> read, List<SnapshotDoc> window, SnapshotDoc newest,
                                               int n, FoldRule rule) {
        List<CheckpointDoc> cps = read.stream().sorted(Comparator.comparing(CheckpointDoc::month)).toList();
        FileMap files = new FileMap();
        for (CheckpointDoc cp : cps) {
            files.removeAll(cp.pendingRemovedFiles());
            files.addAll(cp.databases(), true);
        }
        CheckpointDoc last = cps.stream().max(Comparator.comparingLong(CheckpointDoc::lastSnapshotSeq)).orElseThrow();
        List<SnapshotDoc> after = window.stream().filter(s -> s.snapshotSeq() > last.lastSnapshotSeq()).toList();
        fold(files, after, rule, true);

        // NEXT_FILE_ID: the newest loaded snapshot's, or the newest checkpoint's when no newer snapshot loaded
        // (docs/format.md, "File ids").
        long nextFileId = !after.isEmpty() ? after.get(0).nextFileId()
                : last.nextFileId() != null ? last.nextFileId()
                : newest != null ? newest.nextFileId() : 0;
        boolean snapshotNewer = newest != null && newest.snapshotSeq() >= last.lastSnapshotSeq();
        return new LoadedState(files.toListing(), after, cps, n,
                snapshotNewer ? newest.snapshotSeq() : last.lastSnapshotSeq(),
                snapshotNewer ? newest.walSeq() : last.walSeq(),
                snapshotNewer ? newest.catalogSeq() : last.catalogSeq(), nextFileId);
    }

    private static void fold(FileMap files, List<SnapshotDoc> newestFirst, FoldRule rule, boolean deduplicateAdds) {
        if (rule == FoldRule.SERVER) {
            for (SnapshotDoc s : newestFirst) {
                files.addAll(s.databases(), deduplicateAdds);
                files.removeAll(s.removedFiles());
            }
            return;
        }
        newestFirst.forEach(s -> files.addAll(s.databases(), true));
        newestFirst.forEach(s -> files.removeAll(s.removedFiles()));
    }
}
