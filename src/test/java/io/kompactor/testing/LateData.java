package io.kompactor.testing;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kompactor.snapshot.Json;
import io.kompactor.snapshot.Snapshot;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Comparator;
import java.util.stream.Stream;

/** Late data as the server writes it: a new snapshot persisting a file into an older gen1 bucket of table 0/1. */
public final class LateData {
    private LateData() {
    }

    /**
     * Upserts of the first 15 rows of {@code pristineSource} (a file of table 0/1), with new values and a null field, in
     * the source's bucket folder, listed by a new snapshot. Returns nothing; the data dir gains one snapshot and one file.
     */
    /** What the server does for late data: a new file in the bucket's folder, named after the new snapshot's WAL seq. */
    public static void addLateSnapshot(Path dataDir, String host, Path pristineSource) throws Exception {
        addLateSnapshot(dataDir, host, pristineSource, false);
    }

    /**
     * As {@link #addLateSnapshot(Path, String, Path)}; with {@code newKeys} the late rows are 1 ns after the source's,
     * so they add keys instead of repeating them (a late point, not an upsert).
     */
    public static void addLateSnapshot(Path dataDir, String host, Path pristineSource, boolean newKeys) throws Exception {
        Path snapshots = dataDir.resolve(host).resolve("snapshots");
        Snapshot newest;
        try (Stream<Path> s = Files.list(snapshots)) {
            newest = s.map(Snapshot::read).max(Comparator.comparingLong(Snapshot::sequence)).orElseThrow();
        }
        long seq = newest.sequence() + 1;
        long wal = newest.doc().json().get("wal_file_sequence_number").longValue() + 1;
        long id = newest.nextFileId();
        Path bucketDir = dataDir.resolve(host).resolve("dbs/0/1")
                .resolve(pristineSource.getParent().getParent().getFileName())
                .resolve(pristineSource.getParent().getFileName());
        Files.createDirectories(bucketDir);
        Path late = bucketDir.resolve(String.format("%010d", wal) + ".parquet");
        long rows;
        long min;
        long max;
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement()) {
            String schema;
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT decode(value) FROM parquet_kv_metadata(?) WHERE decode(key) = 'ARROW:schema'")) {
                ps.setString(1, pristineSource.toString());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    schema = rs.getString(1);
                }
            }
            st.execute("CREATE TABLE late AS SELECT * REPLACE (temp + 1000 AS temp, NULL::VARCHAR AS status"
                    + (newKeys ? ", make_timestamp_ns(epoch_ns(time) + 1) AS time" : "") + ") FROM read_parquet('"
                    + pristineSource + "') ORDER BY sensor, time LIMIT 15");
            st.execute("COPY late TO '" + late + "' (FORMAT parquet, COMPRESSION zstd, KV_METADATA {'ARROW:schema': '"
                    + schema + "'})");
            try (ResultSet rs = st.executeQuery("SELECT count(*), epoch_ns(min(time)), epoch_ns(max(time)) FROM late")) {
                rs.next();
                rows = rs.getLong(1);
                min = rs.getLong(2);
                max = rs.getLong(3);
            }
        }
        long chunk = min - Math.floorMod(min, 600_000_000_000L);
        ObjectNode json = newest.doc().json().deepCopy();
        json.put("next_file_id", id + 1);
        json.put("snapshot_sequence_number", seq);
        json.put("wal_file_sequence_number", wal);
        json.put("parquet_size_bytes", Files.size(late));
        json.put("row_count", rows);
        json.put("min_time", min);
        json.put("max_time", max);
        ArrayNode dbs = json.putArray("databases");
        ObjectNode file = Json.mapper().createObjectNode();
        file.put("id", id);
        file.put("path", dataDir.relativize(late).toString());
        file.put("size_bytes", Files.size(late));
        file.put("row_count", rows);
        file.put("chunk_time", chunk);
        file.put("min_time", min);
        file.put("max_time", max);
        ArrayNode table = Json.mapper().createArrayNode().add(1).add(Json.mapper().createArrayNode().add(file));
        ObjectNode tables = Json.mapper().createObjectNode();
        tables.putArray("tables").add(table);
        dbs.add(Json.mapper().createArrayNode().add(0).add(tables));
        Files.write(snapshots.resolve(Snapshot.fileStem(seq) + ".info.json"), Json.prettyBytes(json, false));
    }

}
