package io.kompactor.engine;

import io.kompactor.merge.TimeRanges;
import io.kompactor.plan.CompactionPlan;

/** How many files a plan's merge will write, without starting DuckDB: the merge's own split rule. */
final class OutputPrediction {
    private OutputPrediction() {
    }

    static int outputs(CompactionPlan plan) {
        return TimeRanges.sliceCount(plan.inputBytes(), plan.targetFileBytes());
    }
}
