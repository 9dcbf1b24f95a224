package io.kompactor.commit;

import io.kompactor.plan.CompactionPlan;
import io.kompactor.snapshot.ParquetFileEntry;

import java.util.List;

/** A committed plan: its transaction id and the entries the server now lists instead of the inputs. */
public record CommitResult(String tx, CompactionPlan plan, List<ParquetFileEntry> outputs, long outputRows,
                           long outputBytes) {
    public CommitResult {
        outputs = List.copyOf(outputs);
    }
}
