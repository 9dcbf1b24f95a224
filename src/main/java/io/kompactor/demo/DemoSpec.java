package io.kompactor.demo;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What {@link DemoDataDir} writes: a Core-like data dir of {@code databases} x {@code tablesPerDb} tables, one
 * snapshot per gen1 bucket starting at {@code startTimeNs}, each persisting one file of {@code rowsPerFile} rows per
 * table. {@code lateFileFraction} of the snapshots also persist a late file into an older bucket of one table, and
 * {@code upsertFraction} of those late rows repeat an existing (tags, time) key with new values, some fields null.
 * With {@code schemaGrowth}, table 0 of every database gains the float field {@code added_later} halfway.
 * {@code checkpoint} adds a 3.8.2+ checkpoint of the first half of the snapshots, {@code tableIndex} the 3.3+ table
 * index. The same spec always yields the same metadata and the same parquet bytes (values are hashes of the seed).
 */
public record DemoSpec(String host, Layout layout, int databases, int tablesPerDb, int snapshots, int rowsPerFile,
                       long startTimeNs, long gen1Ns, double lateFileFraction, double upsertFraction,
                       boolean schemaGrowth, boolean checkpoint, boolean tableIndex, long seed) {

    /** Parquet directory scheme of the Core version being imitated (docs/format.md, "Layout of a data dir"). */
    public enum Layout {
        /** 3.6+: {@code dbs/<db_id>/<table_id>/...}. */
        CORE_36,
        /** 3.0-3.5: {@code dbs/<db_name>-<db_id>/<table_name>-<table_id>/...}. */
        CORE_30
    }

    public static final long TEN_MINUTES_NS = 600_000_000_000L;

    // Keeps object paths free of characters object_store would percent-encode (docs/format.md, "Object paths").
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9._-]+");

    public DemoSpec {
        Objects.requireNonNull(layout, "layout");
        if (host == null || !HOST.matcher(host).matches()) {
            throw new IllegalArgumentException("host must match " + HOST + ": " + host);
        }
        require(databases >= 1 && tablesPerDb >= 1, "need at least one database and one table");
        require(snapshots >= 1, "need at least one snapshot");
        require(rowsPerFile >= 1, "need at least one row per file");
        require(gen1Ns > 0, "gen1Ns must be positive");
        require(Math.floorMod(startTimeNs, gen1Ns) == 0, "startTimeNs must be a multiple of gen1Ns (a bucket start)");
        // Each series needs 2 ns per row slot so late rows (odd jitter) never collide with original ones (even).
        require(rowsPerFile <= gen1Ns / 2, "rowsPerFile too large for one gen1 bucket");
        require(lateFileFraction >= 0 && lateFileFraction <= 1, "lateFileFraction must be in [0, 1]");
        require(upsertFraction >= 0 && upsertFraction <= 1, "upsertFraction must be in [0, 1]");
    }

    /** 2 dbs x 2 tables, 24 ten-minute snapshots (4 h) of 40 rows, late files and upserts, schema growth, table index. */
    public static DemoSpec defaults(String host, long startTimeNs) {
        return new DemoSpec(host, Layout.CORE_36, 2, 2, 24, 40, startTimeNs, TEN_MINUTES_NS, 0.25, 0.5,
                true, false, true, 42L);
    }

    public DemoSpec withLayout(Layout l) {
        return new DemoSpec(host, l, databases, tablesPerDb, snapshots, rowsPerFile, startTimeNs, gen1Ns,
                lateFileFraction, upsertFraction, schemaGrowth, checkpoint, tableIndex, seed);
    }

    public DemoSpec withShape(int dbs, int tables, int snaps, int rows) {
        return new DemoSpec(host, layout, dbs, tables, snaps, rows, startTimeNs, gen1Ns,
                lateFileFraction, upsertFraction, schemaGrowth, checkpoint, tableIndex, seed);
    }

    public DemoSpec withLateData(double lateFiles, double upserts) {
        return new DemoSpec(host, layout, databases, tablesPerDb, snapshots, rowsPerFile, startTimeNs, gen1Ns,
                lateFiles, upserts, schemaGrowth, checkpoint, tableIndex, seed);
    }

    public DemoSpec withMetadata(boolean withCheckpoint, boolean withTableIndex) {
        return new DemoSpec(host, layout, databases, tablesPerDb, snapshots, rowsPerFile, startTimeNs, gen1Ns,
                lateFileFraction, upsertFraction, schemaGrowth, withCheckpoint, withTableIndex, seed);
    }

    public DemoSpec withSeed(long s) {
        return new DemoSpec(host, layout, databases, tablesPerDb, snapshots, rowsPerFile, startTimeNs, gen1Ns,
                lateFileFraction, upsertFraction, schemaGrowth, checkpoint, tableIndex, s);
    }

    /** Start of the gen1 bucket snapshot {@code seq} persists on time. */
    public long bucketStart(long seq) {
        return startTimeNs + seq * gen1Ns;
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
