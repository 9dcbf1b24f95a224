package io.kompactor.merge;

import io.kompactor.plan.CompactionPlan;

import java.util.List;

/** What a merge produced for a plan: outputs in time order, and the counts it verified. */
public record MergeResult(CompactionPlan plan, List<MergedFile> outputs, long inputRows, long outputRows,
                          long durationNanos) {
    public MergeResult {
        outputs = List.copyOf(outputs);
    }

    public long outputBytes() {
        return outputs.stream().mapToLong(MergedFile::sizeBytes).sum();
    }
}
