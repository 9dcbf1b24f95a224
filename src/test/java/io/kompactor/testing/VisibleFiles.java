package io.kompactor.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Which parquet files a restarted server lists, worked out from the format doc (§3.2–3.4) with plain Jackson, on
 * purpose without the product's metadata code: this is the referee the product is checked against.
 *
 * <p>Removals are applied after all additions, by id, whatever snapshot they come from (as the table index does,
 * §3.5). The server's own newest-first fold can miss removals between snapshots (§3.4); the compactor must not
 * rely on either behaviour, and the order-independent rule is the one its planner uses.
 */
final class VisibleFiles {
    /** N for servers that predate {@code removed_files} (alpha, 3.0, 3.1). */
    static final int N_WITHOUT_REMOVED_FILES = 1000;
    /** N from 3.2: default lookback 1 month (2 630 016 s) / default gen1 10 min. */
    static final int N_WITH_REMOVED_FILES = 4383;

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private VisibleFiles() {
    }

    /** Visible files per "db/table", each list in write order. */
    static Map<String, List<OracleFile>> of(Path dataDir, String host) {
        Path hostDir = dataDir.resolve(host);
        // Inverted sequence in the name: ascending names = newest snapshot first, as the server lists them.
        List<Path> names = list(hostDir.resolve("snapshots"), ".info.json");
        if (names.isEmpty()) {
            return Map.of();
        }
        JsonNode newest = read(names.get(0));
        int n = newest.has("removed_files") ? N_WITH_REMOVED_FILES : N_WITHOUT_REMOVED_FILES;
        List<JsonNode> window = names.stream().limit(n).map(VisibleFiles::read).toList();

        List<JsonNode> checkpoints = latestCheckpointPerMonth(hostDir.resolve("snapshot-checkpoints"));
        Map<String, OracleFile> files = new LinkedHashMap<>();
        List<JsonNode> snapshots = window;
        if (!checkpoints.isEmpty()) {
            long lastCheckpointed = Long.MIN_VALUE;
            for (JsonNode cp : checkpoints) {
                remove(files, cp.path("pending_removed_files"));
                add(files, cp.path("databases"));
                lastCheckpointed = Math.max(lastCheckpointed, cp.path("last_snapshot_sequence_number").asLong());
            }
            long cut = lastCheckpointed;
            snapshots = window.stream().filter(s -> s.path("snapshot_sequence_number").asLong() > cut).toList();
        }
        snapshots.forEach(s -> add(files, s.path("databases")));
        snapshots.forEach(s -> remove(files, s.path("removed_files")));

        Map<String, List<OracleFile>> byTable = new TreeMap<>();
        for (OracleFile f : files.values()) {
            byTable.computeIfAbsent(f.table(), k -> new ArrayList<>()).add(f);
        }
        byTable.values().forEach(l -> l.sort(Comparator.comparingLong(OracleFile::writeOrder)
                .thenComparingLong(OracleFile::id)));
        return byTable;
    }

    /** Per {@code YYYY-MM} dir the first name (highest sequence), returned in year_month order. */
    private static List<JsonNode> latestCheckpointPerMonth(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<JsonNode> out = new ArrayList<>();
        try (Stream<Path> months = Files.list(dir)) {
            for (Path month : months.filter(Files::isDirectory).toList()) {
                list(month, ".checkpoint.json").stream().findFirst().map(VisibleFiles::read).ifPresent(out::add);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.sort(Comparator.comparing(cp -> cp.path("year_month").asText()));
        return out;
    }

    /** {@code [[db, {"tables": [[table, [file...]]]}]]}; a file already present (same db, table, id) stays once. */
    private static void add(Map<String, OracleFile> files, JsonNode databases) {
        forEachFile(databases, f -> files.putIfAbsent(key(f.dbId(), f.tableId(), f.id()), f));
    }

    private static void remove(Map<String, OracleFile> files, JsonNode databases) {
        forEachFile(databases, f -> files.remove(key(f.dbId(), f.tableId(), f.id())));
    }

    private static void forEachFile(JsonNode databases, java.util.function.Consumer<OracleFile> action) {
        for (JsonNode db : databases) {
            long dbId = db.get(0).asLong();
            for (JsonNode table : db.get(1).path("tables")) {
                long tableId = table.get(0).asLong();
                for (JsonNode f : table.get(1)) {
                    action.accept(new OracleFile(dbId, tableId, longOf(f, "id"), f.get("path").asText(),
                            longOf(f, "size_bytes"), longOf(f, "row_count"), longOf(f, "chunk_time"),
                            longOf(f, "min_time"), longOf(f, "max_time")));
                }
            }
        }
    }

    private static long longOf(JsonNode f, String field) {
        JsonNode v = f.get(field);
        if (v == null || !v.canConvertToLong() || !v.isIntegralNumber()) {
            throw new IllegalStateException("file entry without integer " + field + ": " + f);
        }
        return v.longValue();
    }

    private static String key(long db, long table, long id) {
        return db + "/" + table + "/" + id;
    }

    private static List<Path> list(Path dir, String suffix) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(suffix))
                    .sorted(Comparator.comparing(p -> p.getFileName().toString())).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode read(Path p) {
        try {
            return MAPPER.readTree(p.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot parse " + p, e);
        }
    }
}
