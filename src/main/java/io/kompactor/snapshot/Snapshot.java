package io.kompactor.snapshot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A parsed {@code <host>/snapshots/<u64::MAX - seq>.info.json}. */
public record Snapshot(MetadataDoc doc, long sequence, String nodeId, SnapshotEra era, long nextFileId,
                       Map<TableKey, List<ParquetFileEntry>> files, Set<Long> removedIds) {

    public static final Pattern FILE_NAME = Pattern.compile("(\\d{20})\\.info\\.json");
    private static final String[] REQUIRED = {"next_file_id", "snapshot_sequence_number", "wal_file_sequence_number",
        "catalog_sequence_number", "parquet_size_bytes", "row_count", "min_time", "max_time"};

    public static Snapshot read(Path file) {
        MetadataDoc doc = MetadataDoc.read(file, DocKind.SNAPSHOT);
        ObjectNode j = doc.json();
        String where = file.toString();
        SnapshotEra era = eraOf(j, where);
        String nodeId = switch (era) {
            case PRE_ALPHA -> Json.requireText(j, "host_id", where);
            case ALPHA -> Json.requireText(j, "writer_id", where);
            default -> j.has("node_id") ? Json.requireText(j, "node_id", where) : Json.requireText(j, "writer_id", where);
        };
        for (String f : REQUIRED) {
            Json.requireLong(j, f, where);
        }
        long seq = j.get("snapshot_sequence_number").longValue();
        Matcher m = FILE_NAME.matcher(file.getFileName().toString());
        if (m.matches() && !m.group(1).equals(fileStem(seq))) {
            throw new MetadataException(where + ": file name does not match snapshot_sequence_number " + seq
                    + " (expected " + fileStem(seq) + ".info.json)");
        }
        Set<Long> removed = new HashSet<>();
        if (j.has("removed_files")) {
            Map<TableKey, List<ParquetFileEntry>> r = new LinkedHashMap<>();
            MetadataDoc.readDatabases(j.get("removed_files"), "removed_files", where, r);
            r.values().forEach(l -> l.forEach(e -> removed.add(e.id())));
        }
        return new Snapshot(doc, seq, nodeId, era, j.get("next_file_id").longValue(), doc.files(), Set.copyOf(removed));
    }

    private static SnapshotEra eraOf(ObjectNode j, String where) {
        JsonNode version = j.get("version");
        if (version != null) {
            if (!version.isTextual() || !version.textValue().equals("1")) {
                throw new MetadataException(where + ": unsupported snapshot version " + version
                        + " (this Kompactor knows version \"1\")");
            }
            return j.has("removed_files") ? SnapshotEra.V1_REMOVED_FILES : SnapshotEra.V1;
        }
        if (j.has("host_id")) {
            return SnapshotEra.PRE_ALPHA;
        }
        if (j.has("writer_id") && !j.has("node_id")) {
            return SnapshotEra.ALPHA;
        }
        if (j.has("node_id")) {
            return SnapshotEra.UNVERSIONED_NODE_ID;
        }
        throw new MetadataException(where + ": not an InfluxDB 3 snapshot (no version, node_id, writer_id or host_id)");
    }

    /** {@code u64::MAX - seq}, zero-padded to 20 digits: the server's file stem (docs/format.md, "Fields and eras"). */
    public static String fileStem(long seq) {
        String s = Long.toUnsignedString(-1L - seq);
        return "0".repeat(20 - s.length()) + s;
    }

    public Path file() {
        return doc.file();
    }

    public boolean lists(long id) {
        return files.values().stream().anyMatch(l -> l.stream().anyMatch(e -> e.id() == id));
    }
}
