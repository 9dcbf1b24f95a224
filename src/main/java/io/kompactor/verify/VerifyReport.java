package io.kompactor.verify;

import java.util.List;

/** What {@code verify} found for one host. */
public record VerifyReport(String host, int filesChecked, List<String> problems) {
    public VerifyReport {
        problems = List.copyOf(problems);
    }

    public boolean ok() {
        return problems.isEmpty();
    }
}
