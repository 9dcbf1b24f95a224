package io.kompactor.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kompactor.snapshot.Json;
import io.kompactor.snapshot.ParquetFileEntry;
import io.kompactor.snapshot.Snapshot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Snapshot JSON only (no parquet): {@code snapshots} snapshots, each persisting one 10-minute gen1 file for each
 * of {@code filesPerSnapshot} tables of one database, as a long-running server writes them.
 */
final class PlanningMetadata {
    private static final DateTimeFormatter BUCKET_DIR =
            DateTimeFormatter.ofPattern("yyyy-MM-dd/HH-mm").withZone(ZoneOffset.UTC);

    private PlanningMetadata() {
    }

    static long write(Path dataDir, int snapshots, int filesPerSnapshot) throws IOException {
        JsonNodeFactory f = JsonNodeFactory.instance;
        Path dir = dataDir.resolve(BenchData.HOST).resolve("snapshots");
        Files.createDirectories(dir);
        long id = 0;
        for (int seq = 0; seq < snapshots; seq++) {
            long chunk = BenchData.START_NS + seq * BenchData.GEN1_NS;
            String bucket = BUCKET_DIR.format(Instant.ofEpochSecond(0, chunk));
            List<ParquetFileEntry> entries = new ArrayList<>();
            Map<Integer, ArrayNode> byTable = new TreeMap<>();
            for (int t = 0; t < filesPerSnapshot; t++) {
                String path = BenchData.HOST + "/dbs/0/" + t + "/" + bucket + "/" + String.format("%010d", seq + 1L)
                        + ".parquet";
                long rows = 90_000 + (id * 7919) % 20_000;
                ParquetFileEntry e = new ParquetFileEntry(id++, path, rows * 22, rows, chunk,
                        chunk + (id % 1000), chunk + BenchData.GEN1_NS - 1 - (id % 1000));
                entries.add(e);
                byTable.computeIfAbsent(t, k -> f.arrayNode()).add(e.toJson());
            }
            ObjectNode o = f.objectNode();
            o.put("version", "1");
            o.put("node_id", BenchData.HOST);
            o.put("next_file_id", id);
            o.put("snapshot_sequence_number", seq);
            o.put("wal_file_sequence_number", seq + 1L);
            o.put("catalog_sequence_number", 1L + filesPerSnapshot);
            BenchData.totals(o, entries);
            o.set("databases", BenchData.databases(byTable));
            o.set("removed_files", f.arrayNode());
            Files.write(dir.resolve(Snapshot.fileStem(seq) + ".info.json"), Json.prettyBytes(o, false));
        }
        return id;
    }
}
