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
     * The keys that really are duplicated in a slice: inside the overlaps, (tags, time) found more than once, with
     * how many rows hold each. Only these need the costly per-field merge; every other row passes through. One
     * parameter. Columns are renamed so the joins below need no aliases.
     */
    String createDupKeys(TimeRanges.Slice slice, String table) {
        List<String> keys = keyList();
        List<String> select = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            select.add(keys.get(i) + " AS " + dupKey(i));
        }
        return "CREATE TEMP TABLE " + table + " AS SELECT " + String.join(", ", select) + ", count(*) AS __kompactor_n"
                + " FROM " + INPUTS + " WHERE \"time\" IS NOT NULL AND " + within(slice) + " AND "
                + inAny(overlapsIn(slice)) + " GROUP BY " + keyColumns() + " HAVING count(*) > 1";
    }

    /**
     * Fills the dedup table with one row per duplicated key, keeping per field the value of the newest file that
     * has one (arg_max ignores NULLs: IOx's "last non-null"). One parameter.
     */
    String insertDedup(TimeRanges.Slice slice, String table, String dupKeys) {
        String dedup = layout.columns().stream().map(c -> c.type().isField()
                ? "arg_max(" + ident(c.name()) + ", file_index)"
                : ident(c.name())).collect(Collectors.joining(", "));
        return "INSERT INTO " + table + " SELECT " + dedup + " FROM " + INPUTS + " SEMI JOIN " + dupKeys + " ON "
                + joinOnKeys() + " WHERE \"time\" IS NOT NULL AND " + within(slice) + " AND "
                + inAny(overlapsIn(slice)) + " GROUP BY " + keyColumns();
    }

    /**
     * Writes one slice, sorted, from up to three branches: the rows outside every overlap, the rows inside overlaps
     * whose key is not duplicated (when {@code dupKeys} is not null; else all of them, in the first branch), and the
     * dedup table's rows (when {@code dedupTable} is not null). Each {@code read_parquet} branch takes the input
     * paths as a parameter; {@link #copyParameters} says how many. Empty branches are left out: DuckDB plans an
     * empty branch without statistics, which would make {@code time} OPTIONAL.
     */
    String copy(TimeRanges.Slice slice, boolean outside, boolean insideUnique, String dupKeys, String dedupTable,
                String target, String arrowSchema) {
        String cols = layout.columns().stream().map(c -> ident(c.name())).collect(Collectors.joining(", "));
        List<TimeRanges.Range> local = overlapsIn(slice);
        List<String> branches = new ArrayList<>();
        // IS NOT NULL lets DuckDB prove time has no NULLs, so it writes time REQUIRED like Core.
        String base = "SELECT " + cols + " FROM " + INPUTS;
        String where = " WHERE \"time\" IS NOT NULL AND " + within(slice);
        if (dupKeys == null || local.isEmpty()) {
            if (outside || insideUnique) {
                branches.add(base + where);
            }
        } else {
            if (outside) {
                branches.add(base + where + " AND NOT " + inAny(local));
            }
            if (insideUnique) {
                branches.add(base + " ANTI JOIN " + dupKeys + " ON " + joinOnKeys() + where + " AND " + inAny(local));
            }
        }
        if (dedupTable != null) {
            branches.add("SELECT " + cols + " FROM " + dedupTable);
        }
        return "COPY (SELECT " + cols + " FROM (" + String.join("\nUNION ALL ", branches) + ")\nORDER BY "
                + orderBy() + ")\nTO " + literal(target)
                + " (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 100000, KV_METADATA {"
                + literal("ARROW:schema") + ": " + literal(arrowSchema) + "})";
    }

    /** How many input-path parameters {@link #copy} with the same arguments takes. */
    static int copyParameters(String sql) {
        return sql.split("read_parquet\\(\\?", -1).length - 1;
    }

    private List<String> keyList() {
        List<String> keys = new ArrayList<>();
        layout.sortTags().forEach(t -> keys.add(ident(t)));
        keys.add("\"time\"");
        return keys;
    }

    private static String dupKey(int i) {
        return "__kompactor_k" + i;
    }

    /** NULL tags are one series for InfluxDB, so they must match each other here too. */
    private String joinOnKeys() {
        List<String> keys = keyList();
        List<String> on = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            on.add(keys.get(i) + " IS NOT DISTINCT FROM " + dupKey(i));
        }
        return String.join(" AND ", on);
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
