package io.kompactor.engine;

import io.kompactor.commit.CommitResult;
import io.kompactor.plan.CompactionPlan;

/**
 * What became of one plan in a run: planned (dry run), committed, or failed with the exception that stopped it
 * (kept whole, as Iceberg keeps a file group's failure apart from its result).
 */
public sealed interface PlanOutcome {
    CompactionPlan plan();

    long durationNanos();

    /** A dry run's plan, with the outputs it would write. */
    record Planned(CompactionPlan plan, int predictedOutputs) implements PlanOutcome {
        @Override
        public long durationNanos() {
            return 0;
        }
    }

    record Committed(CompactionPlan plan, CommitResult commit, long durationNanos) implements PlanOutcome {
    }

    record Failed(CompactionPlan plan, Throwable error, long durationNanos) implements PlanOutcome {
        /** What went wrong, for people: the failing file and the cause first, the inputs not repeated. */
        public Failure failure() {
            return Failure.of(plan, error);
        }

        /** One line: the failing file and the cause (see {@link Failure}). */
        public String message() {
            return failure().message();
        }
    }
}
