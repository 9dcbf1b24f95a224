package io.kompactor.engine;

import io.kompactor.plan.CompactionPlan;

/** Told what a run is doing, so the CLI can show progress while it goes on. */
public interface ProgressListener {
    ProgressListener NONE = new ProgressListener() {
    };

    /** The phases of one plan, in order. */
    enum Phase { CHECKING_INPUTS, MERGING, COMMITTING }

    /** A plan entered a phase; {@code detail} says what, e.g. "merging 1,234,567 rows". */
    default void phase(CompactionPlan plan, Phase phase, String detail) {
    }

    /** A plan is done (committed, failed, or only planned in a dry run). */
    default void planFinished(int index, int total, PlanOutcome outcome) {
    }
}
