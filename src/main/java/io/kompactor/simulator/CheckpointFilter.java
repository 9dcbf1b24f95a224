package io.kompactor.simulator;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code list_latest_checkpoints_per_month(Some(sequence_cutoff))} (docs/format.md,
 * "Checkpoints and the overlap filter"): which months' checkpoints a restart loads.
 */
public final class CheckpointFilter {
    private CheckpointFilter() {
    }

    /**
     * Given the latest checkpoint per month, months oldest first, keeps month i when its sequence reaches the
     * cutoff, or when month i+1's does: then month i+1's range (everything after month i's sequence) contains the
     * cutoff, and month i is needed for the files before it. Older months are dropped even though they list files,
     * which is how a restart can lose the oldest months.
     */
    public static List<CheckpointRef> keep(List<CheckpointRef> latestPerMonthOldestFirst, long sequenceCutoff) {
        List<CheckpointRef> kept = new ArrayList<>();
        for (int i = 0; i < latestPerMonthOldestFirst.size(); i++) {
            boolean own = latestPerMonthOldestFirst.get(i).lastSnapshotSeq() >= sequenceCutoff;
            boolean next = i + 1 < latestPerMonthOldestFirst.size()
                    && latestPerMonthOldestFirst.get(i + 1).lastSnapshotSeq() >= sequenceCutoff;
            if (own || next) {
                kept.add(latestPerMonthOldestFirst.get(i));
            }
        }
        return kept;
    }

    /** {@code latest_snapshot_seq - N}, not below 0 (the sequence is unsigned). */
    public static long cutoff(long latestSnapshotSeq, int n) {
        return Math.max(0, latestSnapshotSeq - n);
    }
}
