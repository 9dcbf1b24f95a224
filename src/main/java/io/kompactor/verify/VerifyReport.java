package io.kompactor.verify;

import java.util.List;

/**
 * What {@code verify} found for one host: problems (the server would fail or return wrong data) and warnings
 * (it returns some rows twice until the next compaction, e.g. late data repeating keys of a compacted window).
 */
public record VerifyReport(String host, int filesChecked, List<String> problems, List<String> warnings) {
    public VerifyReport {
        problems = List.copyOf(problems);
        warnings = List.copyOf(warnings);
    }

    public boolean ok() {
        return problems.isEmpty();
    }
}
