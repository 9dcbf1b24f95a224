package io.kompactor.simulator;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;

/**
 * A month's checkpoint under construction: what the server keeps in memory ({@code update_cached_checkpoint}) and what
 * its startup build folds from snapshots (docs/format.md, "Checkpoints", "removed_files and the newest-first fold",
 * "What a running server writes later"). Snapshots are applied oldest to newest, so removals work: a removed file of
 * this month leaves {@code databases}, one of an earlier month goes to {@code pending_removed_files}, which the load
 * applies to the earlier months.
 */
final class MonthCheckpoint {
    private final String nodeId;
    private final YearMonth month;
    private final FileMap databases = new FileMap();
    private final FileMap pendingRemoved = new FileMap();
    private long lastSnapshotSeq = -1;
    private Long nextFileId;
    private long walSeq;
    private long catalogSeq;

    MonthCheckpoint(String nodeId, YearMonth month) {
        this.nodeId = nodeId;
        this.month = month;
    }

    /** Warmed from a loaded checkpoint ({@code warm_checkpoint_cache}). */
    static MonthCheckpoint of(CheckpointDoc cp) {
        MonthCheckpoint m = new MonthCheckpoint(cp.nodeId(), cp.month());
        m.databases.addAll(cp.databases(), true);
        m.pendingRemoved.addAll(cp.pendingRemovedFiles(), true);
        m.lastSnapshotSeq = cp.lastSnapshotSeq();
        m.nextFileId = cp.nextFileId();
        m.walSeq = cp.walSeq();
        m.catalogSeq = cp.catalogSeq();
        return m;
    }

    /**
     * The month a snapshot counts for: that of its {@code persisted_at} (the file mtime), in UTC (docs/format.md,
     * "Checkpoints").
     */
    static YearMonth monthOf(Instant persistedAt) {
        return YearMonth.from(persistedAt.atZone(ZoneOffset.UTC));
    }

    void apply(SnapshotDoc s) {
        databases.addAll(s.databases(), true);
        s.removedFiles().byTable().forEach((t, files) -> files.forEach(f -> {
            if (databases.removeIds(t, List.of(f.id())).isEmpty()) {
                pendingRemoved.addIfAbsent(t, f);
            }
        }));
        lastSnapshotSeq = s.snapshotSeq();
        nextFileId = s.nextFileId();
        walSeq = s.walSeq();
        catalogSeq = s.catalogSeq();
    }

    YearMonth month() {
        return month;
    }

    boolean isEmpty() {
        return lastSnapshotSeq < 0;
    }

    CheckpointDoc toDoc() {
        return new CheckpointDoc(nodeId, month, lastSnapshotSeq, nextFileId, walSeq, catalogSeq,
                databases.toListing(), pendingRemoved.toListing());
    }
}
