package io.kompactor.merge;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import static io.kompactor.parquet.Sql.ident;
import static io.kompactor.parquet.Sql.literal;

/**
 * The SQL of one merge. Every {@code read_parquet(?)} takes the VARCHAR[] of input paths in write order, so
 * DuckDB's {@code file_index} virtual column is the write order. Time bounds are inlined as constants so that
 * parquet row-group statistics prune whole row groups.
 */
final class MergeSql {

    private static final String INPUTS = "read_parquet(?, union_by_name = true)";

    private final OutputLayout layout;
    private final List<TimeRanges.Range> overlaps;

    MergeSql(OutputLayout layout, List<TimeRanges.Range> overlaps) {
        this.layout = layout;
        this.overlaps = List.copyOf(overlaps);
    }

    /** The overlaps that fall in a slice: if none, the slice needs no de-duplication at all. */
    List<TimeRanges.Range> overlapsIn(TimeRanges.Slice slice) {
        return overlaps.stream().filter(r -> r.intersects(slice.from(), slice.toExclusive())).toList();
    }

    /**
     * A temp table for a slice's de-duplicated rows. It exists because DuckDB forgets after a GROUP BY that
     * {@code time} has no NULLs and would then write it OPTIONAL; reading it back from a NOT NULL column restores
     * that, so the output's {@code time} is REQUIRED like Core's.
     */
    String createDedupTable(String table) {
        return "CREATE TEMP TABLE " + table + " (" + layout.columns().stream()
                .map(c -> ident(c.name()) + " " + c.type().duckdbType() + (c.name().equals("time") ? " NOT NULL" : ""))
                .collect(Collectors.joining(", ")) + ")";
    }

    /**
     * Fills the dedup table with the slice's rows inside overlaps, grouped by (tags, time), keeping per field the
     * value of the newest file that has one (arg_max ignores NULLs: IOx's "last non-null"). One parameter.
     */
    String insertDedup(TimeRanges.Slice slice, String table) {
        String dedup = layout.columns().stream().map(c -> c.type().isField()
                ? "arg_max(" + ident(c.name()) + ", file_index)"
                : ident(c.name())).collect(Collectors.joining(", "));
        return "INSERT INTO " + table + " SELECT " + dedup + " FROM " + INPUTS + " WHERE \"time\" IS NOT NULL AND "
                + within(slice) + " AND " + inAny(overlapsIn(slice)) + " GROUP BY " + keyColumns();
    }

    /**
     * Writes one slice, sorted: if {@code passThrough}, the rows outside every overlap straight from the inputs,
     * plus the dedup table's rows if {@code dedupTable} is not null. Parameters: the input paths if passThrough.
     * Leave out a branch that is empty: DuckDB plans an empty branch without statistics, which again makes
     * {@code time} OPTIONAL.
     */
    String copy(TimeRanges.Slice slice, boolean passThrough, String dedupTable, String target, String arrowSchema) {
        String cols = layout.columns().stream().map(c -> ident(c.name())).collect(Collectors.joining(", "));
        List<String> branches = new ArrayList<>();
        if (passThrough) {
            List<TimeRanges.Range> local = overlapsIn(slice);
            // IS NOT NULL lets DuckDB prove time has no NULLs, so it writes time REQUIRED like Core.
            branches.add("SELECT " + cols + " FROM " + INPUTS + " WHERE \"time\" IS NOT NULL AND " + within(slice)
                    + (local.isEmpty() ? "" : " AND NOT " + inAny(local)));
        }
        if (dedupTable != null) {
            branches.add("SELECT " + cols + " FROM " + dedupTable);
        }
        return "COPY (SELECT " + cols + " FROM (" + String.join("\nUNION ALL ", branches) + ")\nORDER BY "
                + orderBy() + ")\nTO " + literal(target)
                + " (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 100000, KV_METADATA {"
                + literal("ARROW:schema") + ": " + literal(arrowSchema) + "})";
    }

    /**
     * Per slice (index = (time - min) / width): rows outside overlaps, rows inside them, and min/max time in ns.
     * Reads only {@code time}. One parameter: the input paths.
     */
    String slicesSummary(long min, long width) {
        String slice = "(epoch_ns(\"time\") - " + min + "::BIGINT) // " + width + "::BIGINT";
        String inside = overlaps.isEmpty() ? "false" : inAny(overlaps);
        return "SELECT " + slice + " AS __k_slice, count(*) FILTER (WHERE NOT " + inside + "),"
                + " count(*) FILTER (WHERE " + inside + "), epoch_ns(min(\"time\")), epoch_ns(max(\"time\"))"
                + " FROM " + INPUTS + " WHERE \"time\" IS NOT NULL GROUP BY __k_slice ORDER BY __k_slice";
    }

    /**
     * First duplicate key of a written output, with its count, if any; null when there is nothing to check. One
     * parameter: the output path. Only the overlap ranges can hold a key twice: outside them each row comes from
     * the one input that covers its time, unchanged, exactly as the server would have read it. Checking only there
     * keeps the check as cheap as the de-duplication it verifies (row groups outside are pruned).
     */
    String duplicateKey() {
        if (overlaps.isEmpty()) {
            return null;
        }
        return "SELECT " + keyColumns() + ", count(*) FROM read_parquet(?) WHERE " + inAny(overlaps)
                + " GROUP BY " + keyColumns() + " HAVING count(*) > 1 LIMIT 1";
    }

    private static String within(TimeRanges.Slice slice) {
        return "\"time\" >= " + ts(slice.from()) + " AND \"time\" < " + ts(slice.toExclusive());
    }

    private static String inAny(List<TimeRanges.Range> ranges) {
        return ranges.stream()
                .map(r -> "\"time\" BETWEEN " + ts(r.from()) + " AND " + ts(r.to()))
                .collect(Collectors.joining(" OR ", "(", ")"));
    }

    private String keyColumns() {
        List<String> keys = new ArrayList<>();
        layout.sortTags().forEach(t -> keys.add(ident(t)));
        keys.add("\"time\"");
        return String.join(", ", keys);
    }

    /** InfluxDB sorts ASC NULLS FIRST (arrow's default); DuckDB defaults to NULLS LAST (notes 5.3). */
    private String orderBy() {
        List<String> keys = new ArrayList<>();
        layout.sortTags().forEach(t -> keys.add(ident(t) + " NULLS FIRST"));
        keys.add("\"time\"");
        return String.join(", ", keys);
    }

    private static String ts(long ns) {
        return "make_timestamp_ns(" + ns + "::BIGINT)";
    }
}
