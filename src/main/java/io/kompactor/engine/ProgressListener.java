package io.kompactor.engine;

import io.kompactor.plan.CompactionPlan;

import java.util.List;

/**
 * Told what a run is doing, so the CLI can show progress while it goes on. Events come from the thread that runs the
 * plans, in order: {@link #runStarted} once planning is done, then per table {@code CHECKING_INPUTS}, and per plan
 * {@code MERGING} (DuckDB merges and verifies the output), {@code COMMITTING}, then {@link #planFinished}.
 */
public interface ProgressListener {
    ProgressListener NONE = new ProgressListener() {
    };

    /** The phases of one plan, in order. Verification of the merged files is part of {@code MERGING}. */
    enum Phase { CHECKING_INPUTS, MERGING, COMMITTING }

    /** Planning is done: {@code plans} plans will be run (or, in a dry run, reported). */
    default void runStarted(int plans) {
    }

    /** A plan entered a phase; {@code detail} says what, e.g. "merging 25 files, 1,234,567 rows". */
    default void phase(CompactionPlan plan, Phase phase, String detail) {
    }

    /** A plan is done (committed, failed, or only planned in a dry run). */
    default void planFinished(int index, int total, PlanOutcome outcome) {
    }

    /** Every event to each listener, in the order given. */
    static ProgressListener all(List<ProgressListener> listeners) {
        List<ProgressListener> copy = List.copyOf(listeners);
        return new ProgressListener() {
            @Override
            public void runStarted(int plans) {
                copy.forEach(l -> l.runStarted(plans));
            }

            @Override
            public void phase(CompactionPlan plan, Phase phase, String detail) {
                copy.forEach(l -> l.phase(plan, phase, detail));
            }

            @Override
            public void planFinished(int index, int total, PlanOutcome outcome) {
                copy.forEach(l -> l.planFinished(index, total, outcome));
            }
        };
    }
}
