package io.kompactor.demo;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * Object-store paths exactly as Core builds them (docs/format.md, "Layout of a data dir"), relative to the data dir.
 */
final class DemoPaths {
    private static final DateTimeFormatter BUCKET_DIR = DateTimeFormatter.ofPattern("yyyy-MM-dd/HH-mm").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("yyyy-MM").withZone(ZoneOffset.UTC);
    private static final List<String> TABLE_NAMES = List.of("cpu", "mem", "disk", "net", "diskio", "system");

    private DemoPaths() {
    }

    static String parquet(DemoSpec spec, int db, int table, long chunkTimeNs, long walSeq) {
        String dbSeg = spec.layout() == DemoSpec.Layout.CORE_36 ? Integer.toString(db) : dbName(db) + "-" + db;
        String tableSeg = spec.layout() == DemoSpec.Layout.CORE_36 ? Integer.toString(table) : tableName(table) + "-" + table;
        return spec.host() + "/dbs/" + dbSeg + "/" + tableSeg + "/" + BUCKET_DIR.format(instant(chunkTimeNs))
                + "/" + String.format("%010d", walSeq) + ".parquet";
    }

    /** {@code u64::MAX - seq}, zero-padded to 20: a lexicographic listing returns the newest first. */
    static String inverted(long seq) {
        String s = Long.toUnsignedString(-1L - seq);
        return "0".repeat(20 - s.length()) + s;
    }

    static String snapshot(DemoSpec spec, long seq) {
        return spec.host() + "/snapshots/" + inverted(seq) + ".info.json";
    }

    static String checkpoint(DemoSpec spec, String yearMonth, long lastSeq) {
        return spec.host() + "/snapshot-checkpoints/" + yearMonth + "/" + inverted(lastSeq) + ".checkpoint.json";
    }

    static String tableIndex(DemoSpec spec, int db, int table) {
        return spec.host() + "/db-indices/" + db + "/" + table + "/index.info.json";
    }

    static String conversionMarker(DemoSpec spec) {
        return spec.host() + "/table-index-conversion-completed";
    }

    static String yearMonth(long epochNs) {
        return MONTH.format(instant(epochNs));
    }

    static Instant instant(long epochNs) {
        return Instant.ofEpochSecond(Math.floorDiv(epochNs, 1_000_000_000L), Math.floorMod(epochNs, 1_000_000_000L));
    }

    static String dbName(int db) {
        return "db" + db;
    }

    static String tableName(int table) {
        return table < TABLE_NAMES.size() ? TABLE_NAMES.get(table) : "table" + table;
    }
}
