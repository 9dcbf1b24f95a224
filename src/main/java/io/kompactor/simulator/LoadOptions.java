package io.kompactor.simulator;

import java.util.Objects;

/**
 * How a restart loads: {@code loadedSnapshots} is N (null for the era default, docs/format.md, "How many snapshots")
 * and {@code foldRule} the way snapshots combine (docs/format.md, "removed_files and the newest-first fold").
 */
public record LoadOptions(Integer loadedSnapshots, FoldRule foldRule) {
    /**
     * N for servers whose newest snapshot has no {@code removed_files} (alpha, 3.0, 3.1): 1000
     * (docs/format.md, "How many snapshots").
     */
    public static final int N_WITHOUT_REMOVED_FILES = 1000;
    /**
     * N from 3.2 with the defaults: 1 month (2 630 016 s) of lookback over 10 min gen1
     * (docs/format.md, "How many snapshots").
     */
    public static final int N_WITH_REMOVED_FILES = 4383;

    public LoadOptions {
        Objects.requireNonNull(foldRule, "foldRule");
        if (loadedSnapshots != null && loadedSnapshots < 0) {
            throw new IllegalArgumentException("loadedSnapshots must be >= 0: " + loadedSnapshots);
        }
    }

    /** The server's own rule with the era's default N. */
    public static LoadOptions server() {
        return new LoadOptions(null, FoldRule.SERVER);
    }

    /** What the test referee uses: the era's default N, removals applied whatever their order. */
    public static LoadOptions referee() {
        return new LoadOptions(null, FoldRule.ORDER_INDEPENDENT);
    }

    int n(SnapshotDoc newest) {
        if (loadedSnapshots != null) {
            return loadedSnapshots;
        }
        return newest != null && newest.hasRemovedFiles() ? N_WITH_REMOVED_FILES : N_WITHOUT_REMOVED_FILES;
    }
}
