package io.kompactor.engine;

/** Told about each plan as it finishes, so the CLI can print a progress line while the run goes on. */
@FunctionalInterface
public interface ProgressListener {
    ProgressListener NONE = (index, total, outcome) -> { };

    void planFinished(int index, int total, PlanOutcome outcome);
}
