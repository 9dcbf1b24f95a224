package io.kompactor.deadletter;

import io.kompactor.commit.CommitResult;
import io.kompactor.commit.RetirePolicy;
import io.kompactor.commit.Transactions;
import io.kompactor.engine.CompactionEngine;
import io.kompactor.engine.Failure;
import io.kompactor.engine.PlanOutcome;
import io.kompactor.engine.ProgressListener;
import io.kompactor.config.Units;
import io.kompactor.merge.DuckDbMerger;
import io.kompactor.plan.CompactionPlan;
import io.kompactor.plan.Planner;
import io.kompactor.plan.PlannerOptions;
import io.kompactor.snapshot.HostMetadata;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Replays a dead letter: plans its (host, db, table, window) again from the current metadata and runs the plan through
 * the same engine as every other run ({@link CompactionEngine#execute}), then removes the record on success. On failure
 * the record stays, with the new attempt appended to its {@code retries}.
 */
public final class DeadLetterRetrier {
    private final DeadLetterStore store;
    private final Supplier<DuckDbMerger> merger;
    private final Transactions transactions;
    private final RetirePolicy policy;
    private final int loadedSnapshots;
    private final Clock clock;

    public DeadLetterRetrier(DeadLetterStore store, Supplier<DuckDbMerger> merger, Transactions transactions,
                             RetirePolicy policy, int loadedSnapshots, Clock clock) {
        this.store = store;
        this.merger = merger;
        this.transactions = transactions;
        this.policy = policy;
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
        Optional<CompactionPlan> plan;
        try {
            transactions.reconcile(d.host());
            plan = planAgain(d);
        } catch (RuntimeException e) {
            return failed(d, null, e);
        }
        if (plan.isEmpty()) {
            store.delete(d.id());
            return new Outcome(d.id(), true, d.host() + " " + d.table() + " " + d.window()
                    + ": nothing left to compact in this window (already compacted into one file); record removed", null);
        }
        PlanOutcome o = new CompactionEngine(null, merger, transactions, policy).execute(plan.get(), ProgressListener.NONE);
        if (o instanceof PlanOutcome.Failed f) {
            return failed(d, plan.get(), f.error());
        }
        CommitResult c = ((PlanOutcome.Committed) o).commit();
        store.delete(d.id());
        return new Outcome(d.id(), true, plan.get().label() + ": " + Units.count(plan.get().inputs().size(), "file") + " -> "
                + Units.count(c.outputs().size(), "compacted file") + ", tx " + c.tx() + "; record removed", c);
    }

    private Outcome failed(DeadLetter d, CompactionPlan plan, Throwable e) {
        String msg = Failure.of(plan, e).message();
        store.write(d.withRetry(clock.instant() + " failed: " + msg));
        return new Outcome(d.id(), false, "retry failed, record kept: " + msg, null);
    }

    private Optional<CompactionPlan> planAgain(DeadLetter d) {
        long hours = (d.windowEnd() - d.windowStart()) / 3_600_000_000_000L;
        PlannerOptions options = new PlannerOptions((int) hours, 1, Duration.ZERO,
                d.targetFileBytes() > 0 ? d.targetFileBytes() : PlannerOptions.DEFAULT_TARGET_FILE_BYTES, loadedSnapshots);
        HostMetadata m = HostMetadata.load(transactions.workspace().dataDir(), d.host());
        return new Planner(options, clock).plan(m).plans().stream().filter(d::matches).findFirst();
    }
}
