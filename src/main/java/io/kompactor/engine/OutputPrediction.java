package io.kompactor.engine;

import io.kompactor.merge.TimeRanges;
import io.kompactor.parquet.DuckDb;
import io.kompactor.plan.CompactionPlan;
import io.kompactor.plan.PlanInput;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * How many files a plan's merge writes, for a dry run, by the merge's own rule: the window is cut into
 * {@link TimeRanges#sliceCount} slices of equal width over the inputs' time range, and a slice without rows writes no
 * file. Most plans are one slice. For a split plan the snapshots' {@code min_time}/{@code max_time} (which
 * {@code verify} checks against the files) usually settle which slices hold rows: a slice holding an input's first or
 * last row holds rows, one no input's range reaches holds none. Only when a slice lies inside an input's range
 * without either end in it are the files' {@code time} columns read, by an in-memory DuckDB that cannot spill and
 * writes nothing (started then and only then).
 */
final class OutputPrediction implements AutoCloseable {
    private Connection duck;
    private int filesRead;

    int outputs(CompactionPlan plan) {
        int k = TimeRanges.sliceCount(plan.inputBytes(), plan.targetFileBytes());
        List<PlanInput> withRows = plan.inputs().stream().filter(i -> i.entry().rowCount() > 0).toList();
        if (withRows.isEmpty()) {
            return 0; // the merge refuses a plan without rows; Core never writes such files
        }
        long min = plan.inputs().stream().mapToLong(i -> i.entry().minTime()).min().orElseThrow();
        long max = plan.inputs().stream().mapToLong(i -> i.entry().maxTime()).max().orElseThrow();
        if (k <= 1 || max <= min) {
            return 1;
        }
        long width = width(min, max, k);
        Set<Long> certain = new HashSet<>();
        boolean settled = true;
        for (PlanInput i : withRows) {
            long first = (i.entry().minTime() - min) / width;
            long last = (i.entry().maxTime() - min) / width;
            certain.add(first);
            certain.add(last);
            settled &= last - first <= 1;
        }
        return settled ? certain.size() : fromData(plan, k);
    }

    /** The merge's slice width: {@code k} equal slices over [min, max], rounded up (merge.TimeRanges.slices). */
    static long width(long min, long max, int k) {
        long span = max - min + 1;
        return span / k + (span % k == 0 ? 0 : 1);
    }

    /** How many slices hold rows, from the files' time columns; min and max as the merge widens them. */
    private int fromData(CompactionPlan plan, int k) {
        List<PlanInput> inputs = plan.inputs();
        try {
            if (duck == null) {
                duck = DuckDb.openLight();
            }
            Object[] paths = inputs.stream().map(i -> plan.resolve(i).toAbsolutePath().toString()).toArray();
            filesRead += paths.length;
            long min = inputs.stream().mapToLong(i -> i.entry().minTime()).min().orElseThrow();
            long max = inputs.stream().mapToLong(i -> i.entry().maxTime()).max().orElseThrow();
            try (PreparedStatement ps = duck.prepareStatement("SELECT min(epoch_ns(\"time\")), max(epoch_ns(\"time\"))"
                    + " FROM read_parquet(?, union_by_name=true)")) {
                ps.setArray(1, duck.createArrayOf("VARCHAR", paths));
                try (ResultSet r = ps.executeQuery()) {
                    r.next();
                    if (r.getObject(1) != null) {
                        min = Math.min(min, r.getLong(1));
                        max = Math.max(max, r.getLong(2));
                    }
                }
            }
            if (max <= min) {
                return 1;
            }
            long width = width(min, max, k);
            try (PreparedStatement ps = duck.prepareStatement("SELECT count(DISTINCT (epoch_ns(\"time\") - ?::BIGINT)"
                    + " // ?::BIGINT) FROM read_parquet(?, union_by_name=true) WHERE \"time\" IS NOT NULL")) {
                ps.setLong(1, min);
                ps.setLong(2, width);
                Array a = duck.createArrayOf("VARCHAR", paths);
                ps.setArray(3, a);
                try (ResultSet r = ps.executeQuery()) {
                    r.next();
                    return r.getInt(1);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(plan.label() + ": cannot read the inputs' time columns to predict the "
                    + "split: " + e.getMessage().lines().findFirst().orElse(""), e);
        }
    }

    /** How many files' time columns were read (0 when the snapshots told everything). */
    int filesRead() {
        return filesRead;
    }

    @Override
    public void close() {
        if (duck != null) {
            try {
                duck.close();
            } catch (SQLException e) {
                // an in-memory instance: nothing to lose
            }
            duck = null;
        }
    }
}
