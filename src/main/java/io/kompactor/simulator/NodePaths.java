package io.kompactor.simulator;

import java.nio.file.Path;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Object paths of one node's files, exactly as the server builds them (docs/format.md, "Layout of a data dir"); every
 * one starts with the node id and is relative to the data dir (docs/format.md, "Object paths").
 */
record NodePaths(Path dataDir, String nodeId) {
    static final String SNAPSHOT_SUFFIX = ".info.json";
    static final String CHECKPOINT_SUFFIX = ".checkpoint.json";
    private static final DateTimeFormatter BUCKET_DIR =
            DateTimeFormatter.ofPattern("yyyy-MM-dd/HH-mm").withZone(ZoneOffset.UTC);

    Path node() {
        return dataDir.resolve(nodeId);
    }

    Path file(String objectPath) {
        return dataDir.resolve(objectPath);
    }

    Path snapshotsDir() {
        return node().resolve("snapshots");
    }

    Path checkpointsDir() {
        return node().resolve("snapshot-checkpoints");
    }

    Path tableSnapshotsDir() {
        return node().resolve("table-snapshots");
    }

    Path dbIndicesDir() {
        return node().resolve("db-indices");
    }

    Path conversionMarker() {
        return node().resolve("table-index-conversion-completed");
    }

    /** {@code <node>/snapshots/<u64::MAX - seq:020>.info.json}: a name listing sorts newest first. */
    Path snapshot(long seq) {
        return snapshotsDir().resolve(inverted(seq) + SNAPSHOT_SUFFIX);
    }

    Path checkpoint(YearMonth month, long lastSnapshotSeq) {
        return checkpointsDir().resolve(month.toString()).resolve(inverted(lastSnapshotSeq) + CHECKPOINT_SUFFIX);
    }

    /** Table-index snapshots keep the sequence un-inverted (docs/format.md, "Layout of a data dir"). */
    Path tableSnapshot(TableRef t, long seq) {
        return tableSnapshotsDir().resolve(Long.toString(t.dbId())).resolve(Long.toString(t.tableId()))
                .resolve(String.format("%020d", seq) + SNAPSHOT_SUFFIX);
    }

    Path tableIndex(TableRef t) {
        return dbIndicesDir().resolve(Long.toString(t.dbId())).resolve(Long.toString(t.tableId()))
                .resolve("index.info.json");
    }

    /**
     * The 3.6+ layout {@code <node>/dbs/<db_id>/<table_id>/<YYYY-MM-DD>/<HH-MM>/<wal_seq:010>.parquet}: the date of the
     * gen1 bucket in UTC, the name from the WAL file the snapshot closed (docs/format.md, "Layout of a data dir").
     */
    String parquetObject(TableRef t, long chunkTimeNs, long walSeq) {
        return nodeId + "/dbs/" + t.dbId() + "/" + t.tableId() + "/" + BUCKET_DIR.format(instant(chunkTimeNs))
                + "/" + String.format("%010d", walSeq) + ".parquet";
    }

    /** {@code u64::MAX - seq}, zero-padded to 20 digits. */
    static String inverted(long seq) {
        String s = Long.toUnsignedString(-1L - seq);
        return "0".repeat(20 - s.length()) + s;
    }

    /** The sequence a snapshot or checkpoint file name stands for, or -1 when the name is not one. */
    static long sequenceOf(String fileName, String suffix) {
        if (!fileName.endsWith(suffix)) {
            return -1;
        }
        String digits = fileName.substring(0, fileName.length() - suffix.length());
        if (digits.length() != 20 || !digits.chars().allMatch(Character::isDigit)) {
            return -1;
        }
        return -1L - Long.parseUnsignedLong(digits);
    }

    static Instant instant(long epochNs) {
        return Instant.ofEpochSecond(Math.floorDiv(epochNs, 1_000_000_000L), Math.floorMod(epochNs, 1_000_000_000L));
    }

    static long epochNs(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
    }
}
