package io.kompactor.engine;

import io.kompactor.commit.CommitResult;
import io.kompactor.plan.CompactionPlan;

/** What became of one plan in a run. {@code commit} is set when committed, {@code error} when failed. */
public record PlanOutcome(CompactionPlan plan, Status status, CommitResult commit, String error, long durationNanos) {
    public enum Status { PLANNED, COMMITTED, FAILED }

    public static PlanOutcome planned(CompactionPlan plan) {
        return new PlanOutcome(plan, Status.PLANNED, null, null, 0);
    }

    public static PlanOutcome committed(CompactionPlan plan, CommitResult commit, long nanos) {
        return new PlanOutcome(plan, Status.COMMITTED, commit, null, nanos);
    }

    public static PlanOutcome failed(CompactionPlan plan, String error, long nanos) {
        return new PlanOutcome(plan, Status.FAILED, null, error, nanos);
    }
}
