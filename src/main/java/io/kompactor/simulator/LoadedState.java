package io.kompactor.simulator;

import java.util.List;

/**
 * What a restart loaded (docs/format.md, "How a restarting server loads files"): the file list
 * ({@code PersistedFiles}), the documents it came from and the counters the server resumes from.
 *
 * @param snapshots          the snapshots folded in, newest first (after the checkpoints, only those above them)
 * @param checkpoints        the checkpoints merged, in year_month order; empty on the snapshot path
 * @param n                  how many snapshot files the restart looked at
 * @param latestSnapshotSeq  newest snapshot's sequence, -1 when there is none
 * @param nextFileId         the seed of {@code NEXT_FILE_ID} (docs/format.md, "File ids")
 */
public record LoadedState(FileListing files, List<SnapshotDoc> snapshots, List<CheckpointDoc> checkpoints, int n,
                          long latestSnapshotSeq, long walSeq, long catalogSeq, long nextFileId) {

    public LoadedState {
        snapshots = List.copyOf(snapshots);
        checkpoints = List.copyOf(checkpoints);
    }

    public boolean fromCheckpoints() {
        return !checkpoints.isEmpty();
    }

    static LoadedState empty() {
        return new LoadedState(FileListing.EMPTY, List.of(), List.of(), 0, -1, 0, 0, 0);
    }
}
