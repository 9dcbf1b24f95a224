package io.kompactor.engine;

import io.kompactor.merge.DuckDbMerger;
import io.kompactor.merge.MergeSettings;

import java.sql.SQLException;
import java.util.function.Supplier;

/** Opens DuckDB on first use only: a run with nothing to merge never starts it (or unpacks its native library). */
public final class LazyMerger implements Supplier<DuckDbMerger>, AutoCloseable {
    private final MergeSettings settings;
    private DuckDbMerger merger;
    private io.kompactor.merge.LateKeys lateKeys;

    public LazyMerger(MergeSettings settings) {
        this.settings = settings;
    }

    @Override
    public synchronized DuckDbMerger get() {
        if (merger == null) {
            merger = new DuckDbMerger(settings);
        }
        return merger;
    }

    /** The planner's late-data key check on this merger's DuckDB, which it starts only when a check is asked. */
    public io.kompactor.plan.LateKeyCheck lateKeys() {
        return (dataDir, compacted, late) -> keys().repeats(dataDir, compacted, late);
    }

    private synchronized io.kompactor.merge.LateKeys keys() {
        if (lateKeys == null) {
            lateKeys = get().lateKeys();
        }
        return lateKeys;
    }

    @Override
    public synchronized void close() throws SQLException {
        if (merger != null) {
            merger.close();
        }
    }
}
