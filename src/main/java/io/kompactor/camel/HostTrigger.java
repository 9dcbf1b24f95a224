package io.kompactor.camel;

import java.util.List;

/**
 * "Plan this host again": the debounced snapshots that caused it (empty for the start-up catch-up and the periodic
 * rescan) and why.
 */
public record HostTrigger(String host, String reason, List<Long> snapshotSequences) {
    public HostTrigger {
        snapshotSequences = List.copyOf(snapshotSequences);
    }

    @Override
    public String toString() {
        return host + " (" + reason + (snapshotSequences.isEmpty() ? "" : ", " + io.kompactor.config.Units.count(snapshotSequences.size(), "snapshot")) + ")";
    }
}
