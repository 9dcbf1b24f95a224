package io.kompactor.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Files per table, in document order: the {@code databases} / {@code removed_files} / {@code pending_removed_files}
 * maps of the metadata, and the server's {@code PersistedFiles} as a read-only view. Immutable.
 */
public record FileListing(Map<TableRef, List<ParquetFile>> byTable) {
    public static final FileListing EMPTY = new FileListing(Map.of());

    public FileListing {
        Map<TableRef, List<ParquetFile>> copy = new LinkedHashMap<>();
        byTable.forEach((t, files) -> copy.put(t, List.copyOf(files)));
        byTable = Collections.unmodifiableMap(copy);
    }

    public List<ParquetFile> files(TableRef table) {
        return byTable.getOrDefault(table, List.of());
    }

    public List<ParquetFile> allFiles() {
        return byTable.values().stream().flatMap(List::stream).toList();
    }

    public int fileCount() {
        return byTable.values().stream().mapToInt(List::size).sum();
    }

    public boolean isEmpty() {
        return byTable.values().stream().allMatch(List::isEmpty);
    }

    /**
     * serde's {@code SerdeVecMap<DbId, DatabaseTables>} (docs/format.md, "Serde layout"):
     * {@code [[db, {"tables": [[table, [file, ...]], ...]}], ...]}, one entry per id, dbs and tables in first-seen
     * order.
     */
    ArrayNode toJson() {
        Map<Long, ArrayNode> tablesPerDb = new LinkedHashMap<>();
        byTable.forEach((t, files) -> {
            ArrayNode list = SimJson.MAPPER.createArrayNode();
            files.forEach(f -> list.add(f.toJson()));
            tablesPerDb.computeIfAbsent(t.dbId(), d -> SimJson.MAPPER.createArrayNode())
                    .add(SimJson.MAPPER.createArrayNode().add(t.tableId()).add(list));
        });
        ArrayNode dbs = SimJson.MAPPER.createArrayNode();
        tablesPerDb.forEach((db, tables) -> {
            ObjectNode dbTables = SimJson.MAPPER.createObjectNode();
            dbTables.set("tables", tables);
            dbs.add(SimJson.MAPPER.createArrayNode().add(db).add(dbTables));
        });
        return dbs;
    }

    /** A missing field reads as empty ({@code #[serde(default)]}); a duplicate db or table id is an error, as in serde. */
    static FileListing fromJson(JsonNode dbs, String where) {
        if (dbs == null || dbs.isNull() || dbs.isMissingNode()) {
            return EMPTY;
        }
        if (!dbs.isArray()) {
            throw new SimulatorException(where + ": expected [[db_id, {\"tables\": ...}], ...], found " + dbs.getNodeType());
        }
        Map<TableRef, List<ParquetFile>> out = new LinkedHashMap<>();
        Set<Long> seenDbs = new HashSet<>();
        for (JsonNode db : dbs) {
            long dbId = pairKey(db, where);
            if (!seenDbs.add(dbId)) {
                throw new SimulatorException(where + ": duplicate key found: db " + dbId);
            }
            for (JsonNode table : db.get(1).path("tables")) {
                TableRef ref = new TableRef(dbId, pairKey(table, where));
                if (out.containsKey(ref)) {
                    throw new SimulatorException(where + ": duplicate key found: table " + ref);
                }
                List<ParquetFile> files = new ArrayList<>();
                for (JsonNode f : table.get(1)) {
                    files.add(ParquetFile.fromJson(f, where));
                }
                out.put(ref, files);
            }
        }
        return new FileListing(out);
    }

    private static long pairKey(JsonNode pair, String where) {
        if (!pair.isArray() || pair.size() != 2 || !pair.get(0).canConvertToLong()) {
            throw new SimulatorException(where + ": expected a [id, value] pair, found " + pair);
        }
        return pair.get(0).longValue();
    }
}
