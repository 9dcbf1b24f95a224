package io.kompactor.deadletter;

import io.kompactor.commit.CommitResult;
import io.kompactor.commit.Committer;
import io.kompactor.merge.DuckDbMerger;
import io.kompactor.merge.MergeResult;
import io.kompactor.merge.MergedFile;
import io.kompactor.plan.CompactionPlan;
import io.kompactor.plan.Planner;
import io.kompactor.plan.PlannerOptions;
import io.kompactor.snapshot.HostMetadata;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Replays a dead letter: plans its (host, db, table, window) again from the current metadata, merges and commits it
 * with the same merger and committer as every other run, and removes the record on success. On failure the record
 * stays, with the new attempt appended to its {@code retries}.
 */
public final class DeadLetterRetrier {
    private final DeadLetterStore store;
    private final Supplier<DuckDbMerger> merger;
    private final Committer committer;
    private final int loadedSnapshots;
    private final Clock clock;

    public DeadLetterRetrier(DeadLetterStore store, Supplier<DuckDbMerger> merger, Committer committer,
                             int loadedSnapshots, Clock clock) {
        this.store = store;
        this.merger = merger;
        this.committer = committer;
        this.loadedSnapshots = loadedSnapshots;
        this.clock = clock;
    }

    public record Outcome(String id, boolean ok, String message, CommitResult commit) {
    }

    public Outcome retry(String id) {
        DeadLetter d = store.get(id);
        if (!d.hasPlan()) {
            store.delete(d.id());
            return new Outcome(d.id(), true, "no plan recorded (host-level failure); record removed, the daemon plans "
                    + d.host() + " again on its next scan", null);
        }
        try {
            Optional<CompactionPlan> plan = planAgain(d);
            if (plan.isEmpty()) {
                store.delete(d.id());
                return new Outcome(d.id(), true, d.host() + " " + d.table() + " " + d.window()
                        + ": nothing left to compact in this window (already compacted or fewer than 2 files); record removed", null);
            }
            CommitResult c = mergeAndCommit(plan.get());
            store.delete(d.id());
            return new Outcome(d.id(), true, plan.get().label() + ": " + plan.get().inputs().size() + " file(s) -> "
                    + c.outputs().size() + " compacted file(s), tx " + c.tx() + "; record removed", c);
        } catch (RuntimeException e) {
            String msg = e.getClass().getSimpleName() + ": " + e.getMessage();
            store.write(d.withRetry(clock.instant() + " failed: " + msg));
            return new Outcome(d.id(), false, "retry failed, record kept: " + msg, null);
        }
    }

    private Optional<CompactionPlan> planAgain(DeadLetter d) {
        long hours = (d.windowEnd() - d.windowStart()) / 3_600_000_000_000L;
        PlannerOptions options = new PlannerOptions((int) hours, 1, Duration.ZERO,
                d.targetFileBytes() > 0 ? d.targetFileBytes() : PlannerOptions.DEFAULT_TARGET_FILE_BYTES, loadedSnapshots);
        HostMetadata m = HostMetadata.load(Path.of(d.dataDir()), d.host());
        return new Planner(options, clock).plan(m).plans().stream().filter(d::matches).findFirst();
    }

    private CommitResult mergeAndCommit(CompactionPlan plan) {
        MergeResult merged = merger.get().merge(plan);
        try {
            return committer.commit(merged);
        } finally {
            for (MergedFile f : merged.outputs()) {
                try {
                    Files.deleteIfExists(f.tmpFile());
                } catch (IOException e) {
                    // a leftover temp file in the state dir's tmp is harmless
                }
            }
        }
    }
}
