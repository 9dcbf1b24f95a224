package io.kompactor.engine;

import java.util.List;

/**
 * Everything a run did: per-plan outcomes, problems that are not tied to a plan (a host that cannot be read, a
 * corrupt snapshot), notes (what was left alone and why) and recovery actions.
 */
public record RunReport(boolean dryRun, List<PlanOutcome> outcomes, List<String> problems, List<String> notes,
                        List<String> recovered, long durationNanos) {
    public RunReport {
        outcomes = List.copyOf(outcomes);
        problems = List.copyOf(problems);
        notes = List.copyOf(notes);
        recovered = List.copyOf(recovered);
    }

    public boolean failed() {
        return !problems.isEmpty() || outcomes.stream().anyMatch(o -> o.status() == PlanOutcome.Status.FAILED);
    }

    public long count(PlanOutcome.Status s) {
        return outcomes.stream().filter(o -> o.status() == s).count();
    }
}
