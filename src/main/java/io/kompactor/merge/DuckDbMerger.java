package io.kompactor.merge;

import io.kompactor.parquet.ArrowSchemas;
import io.kompactor.parquet.ParquetFacts;
import io.kompactor.parquet.ParquetFileException;
import io.kompactor.parquet.ParquetInspector;
import io.kompactor.plan.CompactionPlan;
import io.kompactor.plan.PlanInput;
import io.kompactor.snapshot.ParquetFileEntry;
import org.duckdb.DuckDBConnection;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Merges the inputs of one {@link CompactionPlan} into sorted, de-duplicated parquet files shaped like Core's,
 * written to {@code settings.tmpDir()} and verified before they are returned (docs/architecture.md, "The merge").
 * <p>
 * Thread-safe: all merges share one DuckDB instance (so {@code memory_limit} bounds them together) and each runs
 * on its own duplicated connection.
 */
public final class DuckDbMerger implements AutoCloseable {

    private final MergeSettings settings;
    private final Connection base;
    private final ParquetInspector inspector = new ParquetInspector();
    private final InspectionCache inspections = new InspectionCache();

    public DuckDbMerger(MergeSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        try {
            this.base = settings.openDuckDb();
        } catch (SQLException e) {
            throw new MergeException("cannot start DuckDB: " + e.getMessage(), e);
        }
    }

    /**
     * Checks every file of a table against its snapshot entry and the others: readable footer, size, row count,
     * supported and consistent column types, no names differing only in case, a {@code time} column.
     *
     * @throws MergeException listing every problem found, each naming its file
     */
    public void checkInputs(Path dataDir, List<ParquetFileEntry> files) {
        try (Connection c = connection()) {
            InputChecks.check(c, inspector, inspections, dataDir, files);
        } catch (SQLException e) {
            throw new MergeException("DuckDB connection failed: " + e.getMessage(), e);
        }
    }

    /**
     * Merges a table's plans ahead of their commits, for the caller to {@link MergeAhead#take} one by one in plan
     * order. Two at a time when every plan is small next to the memory limit (an eighth of it in input bytes), so
     * that concurrent sorts do not push each other into spilling; otherwise one at a time, still ahead.
     */
    public MergeAhead mergeAhead(List<CompactionPlan> plans) {
        long small = settings.memoryLimitBytes() / 8;
        boolean allSmall = plans.stream().allMatch(p -> p.inputBytes() <= small);
        return new MergeAhead(this, plans, allSmall && settings.threads() > 1 ? 2 : 1);
    }

    public MergeResult merge(CompactionPlan plan) {
        long started = System.nanoTime();
        if (plan.inputs().isEmpty()) {
            throw new MergeException(plan.label() + ": plan has no inputs");
        }
        List<Path> inputs = plan.inputs().stream().map(plan::resolve).toList();
        List<MergedFile> outputs = new ArrayList<>();
        List<Path> written = new ArrayList<>();
        boolean ok = false;
        try (Connection c = connection()) {
            List<ParquetFacts> facts = refuseBadInputs(plan, inputs,
                    () -> InputChecks.check(c, inspector, inspections, plan.dataDir(),
                            plan.inputs().stream().map(PlanInput::entry).toList()));
            OutputLayout layout = refuseBadInputs(plan, inputs, () -> OutputLayout.of(facts));
            List<TimeRanges.Range> ranges = timeRanges(plan, facts);
            List<TimeRanges.Range> overlaps = TimeRanges.overlaps(ranges);
            long min = ranges.stream().mapToLong(TimeRanges.Range::from).min().orElseThrow();
            long max = ranges.stream().mapToLong(TimeRanges.Range::to).max().orElseThrow();
            int k = TimeRanges.sliceCount(plan.inputBytes(), plan.targetFileBytes());
            List<TimeRanges.Slice> slices = TimeRanges.slices(min, max, k);
            MergeSql sql = new MergeSql(layout, overlaps, biggestPerOverlap(ranges, facts, overlaps));
            String stats = "kompactor_stats_" + UUID.randomUUID().toString().replace("-", "");
            TimeRanges.Slice first = slices.get(0);
            execute(c, sql.createStats(stats, min, first.toExclusive() - first.from()), paths(c, inputs));
            Map<Long, SliceSummary> summaries;
            try (StringEnums enums = StringEnums.create(c, layout.sortTags(), stats, stringFields(layout),
                    paths(c, inputs))) {
                summaries = summaries(c, stats);
                execute(c, "DROP TABLE " + stats, null);
                String stem = "merge-" + UUID.randomUUID();
                for (int i = 0; i < slices.size(); i++) {
                    SliceSummary summary = summaries.get((long) i);
                    if (summary == null) {
                        continue; // Core never persists 0-row files, and neither do we
                    }
                    String name = stem + "-" + outputs.size() + ".parquet";
                    Path tmp = settings.tmpDir().resolve(name + ".inprogress");
                    Path done = settings.tmpDir().resolve(name);
                    written.add(tmp);
                    written.add(done);
                    outputs.add(writeSlice(c, plan, inputs, sql, layout, enums, slices.get(i), summary, tmp, done));
                }
            } finally {
                execute(c, "DROP TABLE IF EXISTS " + stats, null);
            }
            if (outputs.isEmpty()) {
                throw new MergeException(plan.label() + ": inputs " + inputs + " hold no rows");
            }
            ok = true;
        } catch (SQLException e) {
            // Page-level errors do not name the file (docs/architecture.md, "DuckDB facts the merge relies on"):
            // find the culprit by decoding each input.
            String culprit = findUnreadableInput(inputs);
            throw new MergeException(plan.label() + ": merging " + inputs + " failed: "
                    + (culprit != null ? culprit : "DuckDB error: " + e.getMessage()), e);
        } finally {
            if (!ok) {
                written.forEach(DuckDbMerger::deleteQuietly);
            }
        }
        inputs.forEach(inspections::forget); // a plan's inputs are merged once; a retry reads them afresh
        long inputRows = plan.inputs().stream().mapToLong(i -> i.entry().rowCount()).sum();
        long outputRows = outputs.stream().mapToLong(MergedFile::rowCount).sum();
        return new MergeResult(plan, outputs, inputRows, outputRows, System.nanoTime() - started);
    }

    @Override
    public void close() throws SQLException {
        base.close();
    }

    /** The late-data key check on this merger's DuckDB (plan.LateKeyCheck). */
    public LateKeys lateKeys() {
        return new LateKeys(() -> {
            try {
                return connection();
            } catch (SQLException e) {
                throw new MergeException("DuckDB connection failed: " + e.getMessage(), e);
            }
        });
    }

    private Connection connection() throws SQLException {
        return ((DuckDBConnection) base).duplicate();
    }

    private interface Check<T> {
        T run();
    }

    private static <T> T refuseBadInputs(CompactionPlan plan, List<Path> inputs, Check<T> check) {
        try {
            return check.run();
        } catch (MergeException | ParquetFileException e) {
            throw new MergeException(plan.label() + ": refusing to merge " + inputs + ": " + e.getMessage(), e);
        }
    }

    /**
     * Each input's time range from the snapshot widened by its footer, so a snapshot range that is off cannot
     * hide an overlap (and with it duplicates) from the de-duplication.
     */
    private static List<TimeRanges.Range> timeRanges(CompactionPlan plan, List<ParquetFacts> facts) {
        List<TimeRanges.Range> ranges = new ArrayList<>();
        for (int i = 0; i < facts.size(); i++) {
            ParquetFileEntry e = plan.inputs().get(i).entry();
            ParquetFacts f = facts.get(i);
            long from = f.minTime() == null ? e.minTime() : Math.min(e.minTime(), f.minTime());
            long to = f.maxTime() == null ? e.maxTime() : Math.max(e.maxTime(), f.maxTime());
            ranges.add(new TimeRanges.Range(from, to));
        }
        return ranges;
    }

    /** What the inputs hold in one slice: rows outside overlaps, rows inside them, min/max time in ns. */
    private record SliceSummary(long passThroughRows, long overlapRows, long minTime, long maxTime) {
    }

    private static List<String> stringFields(OutputLayout layout) {
        return layout.columns().stream().filter(col -> col.type() == io.kompactor.parquet.InfluxType.STRING)
                .map(col -> col.name()).toList();
    }

    /** Writes, verifies and fsyncs one slice's output file. */
    private MergedFile writeSlice(Connection c, CompactionPlan plan, List<Path> inputs, MergeSql sql,
                                  OutputLayout layout, StringEnums enums, TimeRanges.Slice slice, SliceSummary summary,
                                  Path tmp, Path done) throws SQLException {
        String small = "kompactor_small_" + UUID.randomUUID().toString().replace("-", "");
        long rows;
        try {
            rows = copy(c, sql, slice, summary, layout, enums, inputs, tmp, small);
            verify(c, plan, inputs, sql, layout, slice, tmp, rows, summary, exists(c, small) ? small : null);
        } finally {
            execute(c, "DROP TABLE IF EXISTS " + small, null);
        }
        return finish(plan, tmp, done, rows, summary);
    }

    /** Summaries by slice index, from the stats table of {@link MergeSql#createStats}. */
    private static Map<Long, SliceSummary> summaries(Connection c, String statsTable) throws SQLException {
        Map<Long, SliceSummary> bySlice = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(MergeSql.slicesSummary(statsTable))) {
            try (ResultSet r = ps.executeQuery()) {
                while (r.next()) {
                    bySlice.put(r.getLong(1), new SliceSummary(r.getLong(2), r.getLong(3), r.getLong(4), r.getLong(5)));
                }
            }
        }
        return bySlice;
    }

    /** For each overlap, the input (by position) with the most rows among those whose range reaches into it. */
    private static List<Integer> biggestPerOverlap(List<TimeRanges.Range> ranges, List<ParquetFacts> facts,
                                                   List<TimeRanges.Range> overlaps) {
        List<Integer> big = new ArrayList<>();
        for (TimeRanges.Range o : overlaps) {
            int best = -1;
            for (int i = 0; i < ranges.size(); i++) {
                if (ranges.get(i).intersects(o.from(), o.to() + 1)
                        && (best < 0 || facts.get(i).rowCount() > facts.get(best).rowCount())) {
                    best = i;
                }
            }
            big.add(best);
        }
        return big;
    }

    /**
     * Writes one slice and returns how many rows it must hold. Inside overlaps, the rows of all inputs but the
     * biggest go to a small side; the big input's rows whose key is there join them in a per-field merge (one row
     * per key); every other row passes through. So the aggregation sees the few rows that can be duplicates, not
     * every row of an overlapping bucket. Expected rows: all rows of the slice, less both sides, plus the groups.
     */
    private static long copy(Connection c, MergeSql sql, TimeRanges.Slice slice, SliceSummary summary,
                             OutputLayout layout, StringEnums enums, List<Path> inputs, Path tmp, String smallTable)
            throws SQLException {
        String suffix = UUID.randomUUID().toString().replace("-", "");
        String small = null;
        String bigMatches = null;
        String dedupTable = null;
        long smallRows = 0;
        long matchedRows = 0;
        long groups = 0;
        try {
            if (summary.overlapRows() > 0) {
                small = smallTable; // kept by the caller for the verification, which checks its keys
                execute(c, sql.createSmallSide(slice, small), paths(c, inputs));
                smallRows = count(c, small);
                if (smallRows > 0) {
                    bigMatches = "kompactor_bigmatch_" + suffix;
                    execute(c, sql.createBigMatches(slice, bigMatches, small), paths(c, inputs));
                    matchedRows = count(c, bigMatches);
                    dedupTable = "kompactor_dedup_" + suffix;
                    execute(c, sql.createDedupTable(dedupTable), null);
                    execute(c, sql.insertDedup(dedupTable, small, bigMatches), null);
                    groups = count(c, dedupTable);
                }
            }
            long bigUnique = summary.overlapRows() - smallRows - matchedRows;
            String copy = sql.copy(slice, summary.passThroughRows() > 0, bigUnique > 0, smallRows > 0 ? small : null,
                    dedupTable, enums, tmp.toAbsolutePath().toString(), layout.arrowSchema());
            try (PreparedStatement ps = c.prepareStatement(copy)) {
                for (int i = 1; i <= MergeSql.parameters(copy); i++) {
                    ps.setArray(i, paths(c, inputs));
                }
                ps.execute();
            }
        } finally {
            for (String t : new String[]{dedupTable, bigMatches}) {
                if (t != null) {
                    execute(c, "DROP TABLE IF EXISTS " + t, null);
                }
            }
        }
        return summary.passThroughRows() + summary.overlapRows() - smallRows - matchedRows + groups;
    }

    private static boolean exists(Connection c, String table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT count(*) FROM duckdb_tables() WHERE table_name = ? AND temporary")) {
            ps.setString(1, table);
            try (ResultSet r = ps.executeQuery()) {
                r.next();
                return r.getLong(1) > 0;
            }
        }
    }

    private static long count(Connection c, String table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM " + table);
             ResultSet r = ps.executeQuery()) {
            r.next();
            return r.getLong(1);
        }
    }

    private static void execute(Connection c, String sql, java.sql.Array inputs) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            if (inputs != null) {
                ps.setArray(1, inputs);
            }
            ps.execute();
        }
    }

    private String findUnreadableInput(List<Path> inputs) {
        try (Connection c = connection()) {
            for (Path p : inputs) {
                try (PreparedStatement ps = c.prepareStatement("SELECT sum(hash(COLUMNS(*))) FROM read_parquet(?)")) {
                    ps.setString(1, p.toAbsolutePath().toString());
                    ps.executeQuery().close();
                } catch (SQLException e) {
                    return p + ": unreadable data (" + e.getMessage().lines().findFirst().orElse("") + ")";
                }
            }
        } catch (SQLException e) {
            return null;
        }
        return null;
    }

    private void verify(Connection c, CompactionPlan plan, List<Path> inputs, MergeSql sql, OutputLayout layout,
                        TimeRanges.Slice slice, Path out, long expectedRows, SliceSummary expected, String small)
            throws SQLException {
        ParquetFacts f;
        try {
            f = inspector.inspect(c, out);
        } catch (ParquetFileException e) {
            throw new MergeException(plan.label() + ": output failed verification: " + e.getMessage(), e);
        }
        List<String> problems = new ArrayList<>();
        if (f.rowCount() != expectedRows) {
            problems.add("has " + f.rowCount() + " rows, expected " + expectedRows + " distinct (tags, time) keys");
        }
        if (f.rowCount() > 0 && (f.minTime() == null || f.minTime() != expected.minTime()
                || f.maxTime() != expected.maxTime())) {
            problems.add("time range is " + f.minTime() + ".." + f.maxTime() + ", expected "
                    + expected.minTime() + ".." + expected.maxTime());
        }
        List<String> names = layout.columns().stream().map(cs -> cs.name()).toList();
        if (!f.columnNames().equals(names)) {
            problems.add("has columns " + f.columnNames() + ", expected " + names);
        }
        if (!layout.arrowSchema().equals(f.arrowSchemaBase64())) {
            problems.add("does not carry the expected " + ArrowSchemas.KV_KEY);
        }
        ParquetInspector.TimeColumnFacts time = inspector.timeColumn(c, out);
        if (time == null || !time.required()) {
            problems.add("time is not a REQUIRED column");
        }
        String duplicates = sql.duplicateKey(small, slice);
        if (problems.isEmpty() && duplicates != null) {
            try (PreparedStatement ps = c.prepareStatement(duplicates)) {
                ps.setString(1, out.toAbsolutePath().toString());
                try (ResultSet r = ps.executeQuery()) {
                    if (r.next()) {
                        StringBuilder key = new StringBuilder();
                        for (int i = 1; i < r.getMetaData().getColumnCount(); i++) {
                            key.append(i > 1 ? ", " : "").append(r.getString(i));
                        }
                        problems.add("holds duplicate key (" + key + ") " + r.getLong(r.getMetaData().getColumnCount())
                                + " times");
                    }
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new MergeException(plan.label() + ": output of merging " + inputs + " failed verification: "
                    + out.getFileName() + " " + String.join("; ", problems));
        }
    }

    /** fsync, then rename to the final temp name: only complete, verified files ever carry a .parquet name. */
    private static MergedFile finish(CompactionPlan plan, Path tmp, Path done, long rows, SliceSummary expected) {
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            Files.move(tmp, done, StandardCopyOption.ATOMIC_MOVE);
            fsyncDirectory(done.getParent());
            return new MergedFile(done, rows, Files.size(done), expected.minTime(), expected.maxTime());
        } catch (IOException e) {
            throw new MergeException(plan.label() + ": cannot fsync/rename " + tmp + ": " + e.getMessage(), e);
        }
    }

    private static void fsyncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Not supported on every platform; the commit fsyncs what it publishes anyway.
        }
    }

    private static java.sql.Array paths(Connection c, List<Path> inputs) throws SQLException {
        return c.createArrayOf("VARCHAR", inputs.stream().map(p -> p.toAbsolutePath().toString()).toArray());
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // best effort: a leftover temp file is swept with the tmp dir
        }
    }
}
