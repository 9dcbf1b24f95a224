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

    static final String INPUTS = "read_parquet(?, union_by_name = true)";

    private final OutputLayout layout;
    private final List<TimeRanges.Range> overlaps;
    /** Per overlap, the position (file_index) of the input with the most rows there: the "big" side. */
    private final List<Integer> bigInput;

    MergeSql(OutputLayout layout, List<TimeRanges.Range> overlaps, List<Integer> bigInput) {
        this.layout = layout;
        this.overlaps = List.copyOf(overlaps);
        this.bigInput = List.copyOf(bigInput);
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
     * The overlap rows of every input but the biggest one of each overlap (typically a late file against its
     * bucket, or late files against a compacted file), with their write order. Every key that occurs in two inputs
     * has a row here, so only these keys need the per-field merge. One parameter.
     */
    String createSmallSide(TimeRanges.Slice slice, String table) {
        return "CREATE TEMP TABLE " + table + " AS SELECT " + columns("") + ", file_index AS __kompactor_o FROM "
                + INPUTS + " WHERE \"time\" IS NOT NULL AND " + within(slice, "") + " AND " + side(slice, false, "");
    }

    /** The big side's overlap rows whose key is on the small side too: the other half of the merge. One parameter. */
    String createBigMatches(TimeRanges.Slice slice, String table, String small) {
        return "CREATE TEMP TABLE " + table + " AS SELECT " + columns("i.") + ", i.file_index AS __kompactor_o FROM "
                + INPUTS + " i SEMI JOIN " + small + " s ON " + sameKey("i.", "s.") + " WHERE i.\"time\" IS NOT NULL"
                + " AND " + within(slice, "i.") + " AND " + side(slice, true, "i.");
    }

    /**
     * Fills the dedup table with one row per key of both sides, keeping per field the value of the newest input that
     * has one (arg_max ignores NULLs: IOx's "last non-null"). No parameters.
     */
    String insertDedup(String table, String small, String bigMatches) {
        String dedup = layout.columns().stream().map(c -> c.type().isField()
                ? "arg_max(" + ident(c.name()) + ", __kompactor_o)"
                : ident(c.name())).collect(Collectors.joining(", "));
        return "INSERT INTO " + table + " SELECT " + dedup + " FROM (SELECT * FROM " + small
                + " UNION ALL SELECT * FROM " + bigMatches + ") GROUP BY " + keyColumns();
    }

    /**
     * Writes one slice, sorted. Without a small side ({@code small} null), every row of the slice straight from the
     * inputs. With one: the rows outside every overlap (if {@code outside}), the big side's rows whose key is not on
     * the small side (if {@code bigUnique}), and the dedup table. Each {@code read_parquet} takes the input paths
     * as a parameter ({@link #parameters} counts them). Empty branches are left out: DuckDB plans an empty branch
     * without statistics, which would make {@code time} OPTIONAL.
     */
    String copy(TimeRanges.Slice slice, boolean outside, boolean bigUnique, String small, String dedupTable,
                StringEnums enums, String target, String arrowSchema) {
        String cols = columns("");
        List<TimeRanges.Range> local = overlapsIn(slice);
        List<String> branches = new ArrayList<>();
        // IS NOT NULL lets DuckDB prove time has no NULLs, so it writes time REQUIRED like Core.
        if (small == null || local.isEmpty()) {
            branches.add("SELECT " + cols + " FROM " + INPUTS + " WHERE \"time\" IS NOT NULL AND " + within(slice, ""));
        } else {
            if (outside) {
                branches.add("SELECT " + cols + " FROM " + INPUTS + " WHERE \"time\" IS NOT NULL AND "
                        + within(slice, "") + " AND NOT " + inAny(local));
            }
            if (bigUnique) {
                branches.add("SELECT " + columns("i.") + " FROM " + INPUTS + " i ANTI JOIN " + small + " s ON "
                        + sameKey("i.", "s.") + " WHERE i.\"time\" IS NOT NULL AND " + within(slice, "i.") + " AND "
                        + side(slice, true, "i."));
            }
            if (dedupTable != null) {
                branches.add("SELECT " + cols + " FROM " + dedupTable);
            }
        }
        return "COPY (SELECT " + sortableColumns(enums) + " FROM (" + String.join("\nUNION ALL ", branches)
                + ")\nORDER BY " + orderBy() + ")\nTO " + literal(target)
                + " (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 100000, KV_METADATA {"
                + literal("ARROW:schema") + ": " + literal(arrowSchema) + "})";
    }

    /** How many input-path parameters a statement takes. */
    static int parameters(String sql) {
        return sql.split("read_parquet\\(\\?", -1).length - 1;
    }

    /**
     * Rows of the slice's overlaps that belong to each overlap's big input ({@code big}) or to the others. Led by
     * the plain time ranges: an OR over one column is pushed into the parquet scan, so row groups outside every
     * overlap are skipped (mixed with {@code file_index} it is not, and every row group was read).
     */
    private String side(TimeRanges.Slice slice, boolean big, String q) {
        return inAny(overlapsIn(slice), q) + " AND " + sides(slice, big, q);
    }

    private String sides(TimeRanges.Slice slice, boolean big, String q) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < overlaps.size(); i++) {
            TimeRanges.Range r = overlaps.get(i);
            if (r.intersects(slice.from(), slice.toExclusive())) {
                parts.add("(" + q + "\"time\" BETWEEN " + ts(r.from()) + " AND " + ts(r.to()) + " AND " + q
                        + "file_index " + (big ? "=" : "<>") + " " + bigInput.get(i) + ")");
            }
        }
        return parts.stream().collect(Collectors.joining(" OR ", "(", ")"));
    }

    private String columns(String q) {
        return layout.columns().stream().map(c -> q + ident(c.name())).collect(Collectors.joining(", "));
    }

    /** NULL tags are one series for InfluxDB, so they must match each other here too. */
    private String sameKey(String a, String b) {
        List<String> on = new ArrayList<>();
        layout.sortTags().forEach(t -> on.add(a + ident(t) + " IS NOT DISTINCT FROM " + b + ident(t)));
        on.add(a + "\"time\" = " + b + "\"time\"");
        return String.join(" AND ", on);
    }

    /**
     * One scan for everything the merge must know before it writes: per tag tuple and slice (index = (time - min) /
     * width), rows outside overlaps, rows inside them, and min/max time in ns. The tag tuples give the sort's ENUM
     * types ({@link StringEnums}), the per-slice sums the expected rows and time range ({@link #slicesSummary}).
     * Reads only the tags and {@code time}. One parameter: the input paths.
     */
    String createStats(String table, long min, long width) {
        String slice = "(epoch_ns(\"time\") - " + min + "::BIGINT) // " + width + "::BIGINT";
        String inside = overlaps.isEmpty() ? "false" : inAny(overlaps);
        String tags = layout.sortTags().stream().map(t -> ident(t) + ", ").collect(Collectors.joining());
        return "CREATE TEMP TABLE " + table + " AS SELECT " + tags + slice + " AS __k_slice,"
                // the overlap test (an OR of time ranges) once per row: DuckDB binds the two identical count_if once
                + " count(*) - count_if(" + inside + ") AS __k_outside,"
                + " count_if(" + inside + ") AS __k_inside, epoch_ns(min(\"time\")) AS __k_min,"
                + " epoch_ns(max(\"time\")) AS __k_max FROM " + INPUTS + " WHERE \"time\" IS NOT NULL GROUP BY ALL";
    }

    /** Per slice: rows outside overlaps, rows inside them, min and max time in ns, from {@link #createStats}. */
    static String slicesSummary(String statsTable) {
        return "SELECT __k_slice, sum(__k_outside)::BIGINT, sum(__k_inside)::BIGINT, min(__k_min), max(__k_max) FROM "
                + statsTable + " GROUP BY __k_slice ORDER BY __k_slice";
    }

    /**
     * First duplicate key of a written output, with its count, if any; null when there is nothing to check. One
     * parameter: the output path. Only keys of the small side can have been merged: every other row was copied
     * from the one input that holds its key, unchanged, exactly as the server would have read it. Checking only
     * those keys keeps the check as cheap as the merge it verifies.
     */
    String duplicateKey(String small, TimeRanges.Slice slice) {
        if (small == null || overlapsIn(slice).isEmpty()) {
            return null;
        }
        List<String> keys = new ArrayList<>();
        layout.sortTags().forEach(t -> keys.add("o." + ident(t)));
        keys.add("o.\"time\"");
        String k = String.join(", ", keys);
        // Small-side keys all lie in the slice's overlaps: filtering on time first spares decoding the tags of
        // every other row of the output (its rows are sorted by series, then time, so they come in runs).
        return "SELECT " + k + ", count(*) FROM (SELECT * FROM read_parquet(?) WHERE " + inAny(overlapsIn(slice))
                + ") o SEMI JOIN " + small + " s ON " + sameKey("o.", "s.") + " GROUP BY " + k
                + " HAVING count(*) > 1 LIMIT 1";
    }

    private static String within(TimeRanges.Slice slice, String q) {
        return q + "\"time\" >= " + ts(slice.from()) + " AND " + q + "\"time\" < " + ts(slice.toExclusive());
    }

    private static String inAny(List<TimeRanges.Range> ranges) {
        return inAny(ranges, "");
    }

    private static String inAny(List<TimeRanges.Range> ranges, String q) {
        return ranges.stream()
                .map(r -> q + "\"time\" BETWEEN " + ts(r.from()) + " AND " + ts(r.to()))
                .collect(Collectors.joining(" OR ", "(", ")"));
    }

    private String keyColumns() {
        List<String> keys = new ArrayList<>();
        layout.sortTags().forEach(t -> keys.add(ident(t)));
        keys.add("\"time\"");
        return String.join(", ", keys);
    }

    /**
     * InfluxDB sorts ASC NULLS FIRST (arrow's default); DuckDB defaults to NULLS LAST (docs/architecture.md,
     * "DuckDB facts the merge relies on"). By position in the select list, so that the sort is on the tags' ENUM casts
     * ({@link #sortableColumns}), not on the strings.
     */
    private String orderBy() {
        List<String> names = layout.columns().stream().map(c -> c.name()).toList();
        List<String> keys = new ArrayList<>();
        layout.sortTags().forEach(t -> keys.add((names.indexOf(t) + 1) + " NULLS FIRST"));
        keys.add(Integer.toString(names.indexOf("time") + 1));
        return String.join(", ", keys);
    }

    /** The output columns, strings cast to their ENUMs: the parquet writer writes those as UTF8 strings again. */
    private String sortableColumns(StringEnums enums) {
        return layout.columns().stream().map(c -> enums.cast(c.name()) + " AS " + ident(c.name()))
                .collect(Collectors.joining(", "));
    }

    private static String ts(long ns) {
        return "make_timestamp_ns(" + ns + "::BIGINT)";
    }
}
