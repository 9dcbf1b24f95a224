package io.kompactor.demo;

import io.kompactor.parquet.ColumnSpec;
import io.kompactor.parquet.InfluxType;

import java.util.ArrayList;
import java.util.List;

/**
 * The DuckDB SELECT that generates one file's rows from {@code range()}, so that millions of rows never pass through
 * Java. Every value is a hash of (seed, db, table, bucket, ...), which makes a file reproducible and lets a late
 * file recompute the exact keys of the on-time file it upserts into.
 *
 * <p>Row {@code i} of an on-time file belongs to series {@code i % K} (host {@code host-<series>}, at most 1000
 * series) and time slot {@code i / K}; its time is the slot start plus an even jitter. Upserts recompute that time for an existing row; new late rows use an odd jitter,
 * so within a file no two rows share (host, region, time).
 */
final class DemoRows {
    static final List<String> SERIES_KEY = List.of("host", "region");
    static final String ADDED_LATER = "added_later";

    private static final String REGIONS = "['us-east', 'us-west', 'eu-central', 'ap-south']";
    // Non-ASCII on purpose: string handling must survive UTF-8 beyond Latin-1.
    private static final String STATUSES = "['ok', 'warn', 'überlastet', '停止', 'ça va']";

    private final DemoSpec spec;
    private final long series;
    private final long step;

    DemoRows(DemoSpec spec) {
        this.spec = spec;
        this.series = Math.max(1, Math.min(1000, spec.rowsPerFile() / 10));
        long slots = (spec.rowsPerFile() + series - 1) / series;
        this.step = spec.gen1Ns() / slots;
    }

    static List<ColumnSpec> columns(boolean addedLater) {
        List<ColumnSpec> cols = new ArrayList<>(List.of(
                new ColumnSpec("host", InfluxType.TAG),
                new ColumnSpec("region", InfluxType.TAG),
                new ColumnSpec("usage", InfluxType.FLOAT),
                new ColumnSpec("count", InfluxType.INTEGER),
                new ColumnSpec("bytes", InfluxType.UINTEGER),
                new ColumnSpec("status", InfluxType.STRING),
                new ColumnSpec("up", InfluxType.BOOLEAN)));
        if (addedLater) {
            cols.add(new ColumnSpec(ADDED_LATER, InfluxType.FLOAT)); // Core appends new columns, time stays last here
        }
        cols.add(new ColumnSpec("time", InfluxType.TIME));
        return cols;
    }

    /** Columns in {@link #columns} order, sorted by the series key then time, as Core persists them. */
    String select(DemoFile f) {
        long rows = spec.rowsPerFile();
        String s = Long.toString(f.writeSeq());
        String upsert = "k < " + f.upserts();
        String newLate = f.late() ? "NOT (" + upsert + ")" : "false";
        String index = f.late()
                ? "CASE WHEN " + upsert + " THEN ((" + hash(f, "o", s) + " % " + rows + ")::BIGINT + k) % " + rows
                + " ELSE k - " + f.upserts() + " END"
                : onTimeIndex();
        String keys = "SELECT k, " + upsert + " AS upsert, " + index + " AS idx, "
                + "CASE WHEN " + newLate + " THEN " + s + " ELSE -1 END AS jsalt, "
                + "CASE WHEN " + newLate + " THEN 1 ELSE 0 END AS odd "
                + "FROM range(" + f.rows() + ") r(k)";
        // Two 64-bit hashes per row feed every value (different bit ranges); hashing dominates the cost.
        String hashed = "SELECT *, " + hash(f, "v", s, "k") + " AS h1, " + hash(f, "w", s, "k") + " AS h2 FROM (" + keys + ")";
        List<String> values = new ArrayList<>();
        values.add("idx % " + series + " AS series");
        values.add("'host-' || lpad(CAST(idx % " + series + " AS VARCHAR), 3, '0') AS host");
        values.add(REGIONS + "[(idx % " + series + ") % 4 + 1] AS region");
        values.add("CASE WHEN NOT upsert AND h2 % 17 = 0 THEN NULL ELSE round((h1 % 100000) / 100.0, 2) END AS usage");
        values.add(nullableInUpsert(5, "((h1 >> 17) % 2000001)::BIGINT - 1000000") + " AS count");
        // The raw 64-bit hash: about half of the values are above 2^63.
        values.add("CASE WHEN (h1 >> 55) % (CASE WHEN upsert THEN 3 ELSE 13 END) = 0 THEN NULL ELSE h2 END AS bytes");
        values.add(nullableInUpsert(10, STATUSES + "[((h1 >> 38) % 5)::BIGINT + 1]") + " AS status");
        values.add(nullableInUpsert(15, "(h1 >> 50) % 2 = 0") + " AS up");
        if (f.addedLater()) {
            values.add(nullableInUpsert(20, "round(((h1 >> 24) % 100000) / 100.0, 2)") + " AS " + ADDED_LATER);
        }
        // Originals and upserts hash (bucket, idx) alone, so an upsert lands on exactly the original's time.
        values.add(spec.bucketStart(f.bucketSeq()) + " + (idx // " + series + ") * " + step
                + " + 2 * (" + hash(f, "j", "jsalt", "idx") + " % " + (step / 2) + ")::BIGINT + odd AS t");
        List<String> names = columns(f.addedLater()).stream()
                .map(c -> c.type() == InfluxType.TIME ? "make_timestamp_ns(t) AS time" : c.name()).toList();
        return "SELECT " + String.join(", ", names) + " FROM (SELECT " + String.join(", ", values)
                + " FROM (" + hashed + "))" + (f.late() ? " ORDER BY series, t" : "");
    }

    /**
     * Maps {@code k} of {@code range(rows)} to the row index {@code slot * K + series} in series-major order, so
     * that an on-time file comes out sorted by (host, region, time) without a sort: hosts are zero-padded series
     * numbers, and time grows with the slot. The first {@code rows % K} series have one slot more than the rest.
     */
    private String onTimeIndex() {
        long rows = spec.rowsPerFile();
        long slots = (rows + series - 1) / series;
        long full = rows % series;
        String head = "(k % " + slots + ") * " + series + " + k // " + slots;
        if (full == 0) {
            return head;
        }
        String rest = "(k - " + full * slots + ")";
        return "CASE WHEN k < " + full * slots + " THEN " + head + " ELSE (" + rest + " % " + (slots - 1) + ") * "
                + series + " + " + full + " + " + rest + " // " + (slots - 1) + " END";
    }

    /** Upserts leave about a third of each field null, so a merge must keep older non-null values. */
    private static String nullableInUpsert(int bits, String value) {
        return "CASE WHEN upsert AND (h2 >> " + bits + ") % 3 = 0 THEN NULL ELSE " + value + " END";
    }

    /** A UBIGINT hash of the seed, the file's table and bucket, a salt and the given BIGINT expressions. */
    private String hash(DemoFile f, String salt, String... exprs) {
        StringBuilder sb = new StringBuilder("hash(CAST(").append(spec.seed()).append(" AS BIGINT), CAST(")
                .append(f.db()).append(" AS BIGINT), CAST(").append(f.table()).append(" AS BIGINT), CAST(")
                .append(f.bucketSeq()).append(" AS BIGINT)");
        for (String e : exprs) {
            sb.append(", CAST(").append(e).append(" AS BIGINT)");
        }
        return sb.append(", '").append(salt).append("')").toString();
    }
}
