package io.kompactor.engine;

import java.util.List;

/**
 * Everything a run did: per-plan outcomes, problems that are not tied to a plan (a host whose metadata cannot be
 * read, a host blocked by an unfinished transaction), notes (what was left alone and why) and what recovery and
 * reconciliation did first.
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
        return !problems.isEmpty() || outcomes.stream().anyMatch(o -> o instanceof PlanOutcome.Failed);
    }

    public long count(Class<? extends PlanOutcome> kind) {
        return outcomes.stream().filter(kind::isInstance).count();
    }
}
