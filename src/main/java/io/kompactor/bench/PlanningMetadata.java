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
 * of {@code filesPerSnapshot} tables of one database, as a long-running server writes them ({@link #write}); or the
 * same history after Kompactor compacted it ({@link #writeCompacted}), for the daemon at rest.
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

    /**
     * A history of {@code snapshots} 10-minute snapshots of one table, every day already compacted, as the daemon leaves
     * it (docs/architecture.md, "The pipeline"; commit: "empty snapshots kept, the compacted entry goes where the newest
     * input was listed"): the last snapshot of each day lists that day's {@code kompacted-<order>-<id>.parquet}, every
     * other one lists nothing. So no window has two files and there is nothing to compact, which is what the daemon at
     * rest (README, "Continuous benchmark", {@code bench --idle}) sees after a year beside a server. Snapshot mtimes are their persist times, as the server
     * writes them. No parquet is written: with nothing to compact the daemon never opens one.
     */
    static void writeCompacted(Path dataDir, int snapshots) throws IOException {
        JsonNodeFactory f = JsonNodeFactory.instance;
        Path dir = dataDir.resolve(BenchData.HOST).resolve("snapshots");
        Files.createDirectories(dir);
        long perDay = 86_400_000_000_000L / BenchData.GEN1_NS;
        long compactedId = 1L << 62; // Kompactor's reserved id range (format.md, "File ids")
        for (int seq = 0; seq < snapshots; seq++) {
            long chunk = BenchData.START_NS + seq * BenchData.GEN1_NS;
            List<ParquetFileEntry> entries = new ArrayList<>();
            if ((seq + 1) % perDay == 0 || seq == snapshots - 1) {
                long dayStart = chunk - Math.floorMod(chunk - BenchData.START_NS, perDay * BenchData.GEN1_NS);
                String path = BenchData.HOST + "/dbs/0/0/" + BUCKET_DIR.format(Instant.ofEpochSecond(0, dayStart)) + "/"
                        + io.kompactor.plan.CompactedName.format(seq, compactedId);
                long rows = perDay * 90_000;
                entries.add(new ParquetFileEntry(compactedId++, path, rows * 9, rows, dayStart, dayStart,
                        chunk + BenchData.GEN1_NS - 1));
            }
            ObjectNode o = f.objectNode();
            o.put("version", "1");
            o.put("node_id", BenchData.HOST);
            o.put("next_file_id", seq + 1L);
            o.put("snapshot_sequence_number", seq);
            o.put("wal_file_sequence_number", seq + 1L);
            o.put("catalog_sequence_number", 2L);
            BenchData.totals(o, entries);
            Map<Integer, ArrayNode> byTable = new TreeMap<>();
            entries.forEach(e -> byTable.computeIfAbsent(0, k -> f.arrayNode()).add(e.toJson()));
            o.set("databases", BenchData.databases(byTable));
            o.set("removed_files", f.arrayNode());
            Path p = dir.resolve(Snapshot.fileStem(seq) + ".info.json");
            Files.write(p, Json.prettyBytes(o, false));
            Files.setLastModifiedTime(p, java.nio.file.attribute.FileTime.from(
                    Instant.ofEpochSecond(0, chunk + BenchData.GEN1_NS)));
        }
    }
}
