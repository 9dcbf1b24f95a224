package io.kompactor.snapshot;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Database and table names by id, where the server's catalog can be read (docs/format.md, "Catalog and WAL"): the
 * 3.4–3.9 catalog snapshot {@code <node>/catalog/v2/snapshot} is a 10-byte version id ({@code idb3.00N.s}), a
 * 4-byte CRC and, from version 2 of that format, a JSON payload. Binary catalogs (bitcode before, 3.10's v3 after)
 * and tables created after the last catalog snapshot have no name here: policies still match them by id.
 */
public final class CatalogNames {
    private static final int HEADER = 10 + 4;

    private CatalogNames() {
    }

    /** "db/table" per table, empty when the catalog is absent or not JSON. Never fails: names are a convenience. */
    public static Map<TableKey, String> read(Path dataDir, String host) {
        Path f = dataDir.resolve(host).resolve("catalog").resolve("v2").resolve("snapshot");
        if (!Files.isRegularFile(f)) {
            return Map.of();
        }
        try {
            byte[] bytes = Files.readAllBytes(f);
            return parse(bytes);
        } catch (IOException | RuntimeException e) {
            return Map.of();
        }
    }

    static Map<TableKey, String> parse(byte[] file) throws IOException {
        if (file.length < HEADER) {
            return Map.of();
        }
        String version = new String(file, 0, 10, StandardCharsets.US_ASCII);
        if (!version.matches("idb3\\.\\d{3}\\.s") || version.equals("idb3.001.s")) {
            return Map.of(); // version 1 is bitcode
        }
        JsonNode root = Json.mapper().readTree(Arrays.copyOfRange(file, HEADER, file.length));
        Map<TableKey, String> out = new HashMap<>();
        for (JsonNode db : root.path("databases").path("repo")) {
            long dbId = db.path(0).asLong(-1);
            String dbName = db.path(1).path("name").asText(null);
            for (JsonNode t : db.path(1).path("tables").path("repo")) {
                long tableId = t.path(0).asLong(-1);
                String tableName = t.path(1).path("table_name").asText(null);
                if (dbId >= 0 && tableId >= 0 && dbName != null && tableName != null) {
                    out.put(new TableKey(dbId, tableId), dbName + "/" + tableName);
                }
            }
        }
        return out;
    }

    /** A lookup for the planner's table policies. */
    public static java.util.function.Function<TableKey, Optional<String>> lookup(Map<TableKey, String> names) {
        return k -> Optional.ofNullable(names.get(k));
    }
}
