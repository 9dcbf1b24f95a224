package io.kompactor.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Every parquet file the simulator ever persisted, hard-linked (or copied) into a directory OUTSIDE the data dir,
 * with its write order and table, so the expected query result can be computed at any time: all rows ever
 * written, de-duplicated on (tags, time), per field the last non-null value in write order, even after an
 * external tool moved or deleted the originals. {@code ledger.jsonl} lists the entries, so a new simulator on the
 * same ledger dir continues it.
 */
public final class Ledger {
    private static final String INDEX = "ledger.jsonl";

    private final Path dir;
    private final List<LedgerEntry> entries = new ArrayList<>();

    private Ledger(Path dir) {
        this.dir = dir;
    }

    public static Ledger open(Path dir) {
        Ledger l = new Ledger(dir.toAbsolutePath());
        try {
            Files.createDirectories(l.dir.resolve("files"));
            Path index = l.dir.resolve(INDEX);
            if (Files.exists(index)) {
                for (String line : Files.readAllLines(index, StandardCharsets.UTF_8)) {
                    if (!line.isBlank()) {
                        l.entries.add(l.fromJson(SimJson.MAPPER.readTree(line)));
                    }
                }
            }
        } catch (IOException e) {
            throw new SimulatorException("cannot open ledger " + dir + ": " + e.getMessage(), e);
        }
        return l;
    }

    public Path dir() {
        return dir;
    }

    public synchronized List<LedgerEntry> entries() {
        return List.copyOf(entries);
    }

    /** The ledger's copies per table key {@code "<db_id>/<table_id>"}, in write order: what the test referee reads. */
    public synchronized Map<String, List<Path>> filesByTable() {
        Map<String, List<Path>> out = new TreeMap<>();
        entries.forEach(e -> out.computeIfAbsent(e.table().key(), k -> new ArrayList<>()).add(e.copy()));
        return out;
    }

    /** How many rows a query of the table should return: distinct (tags, time) over every file written to it. */
    public long expectedRowCount(Connection duckdb, TableRef table) throws SQLException {
        List<LedgerEntry> mine;
        synchronized (this) {
            mine = entries.stream().filter(e -> e.table().equals(table)).toList();
        }
        if (mine.isEmpty()) {
            return 0;
        }
        Set<String> key = new LinkedHashSet<>();
        mine.forEach(e -> key.addAll(e.tags()));
        key.add("time");
        String cols = key.stream().map(c -> '"' + c.replace("\"", "\"\"") + '"').collect(Collectors.joining(", "));
        try (PreparedStatement ps = duckdb.prepareStatement("SELECT count(*) FROM (SELECT DISTINCT " + cols
                + " FROM read_parquet(?, union_by_name=true))")) {
            ps.setArray(1, duckdb.createArrayOf("VARCHAR", mine.stream().map(e -> e.copy().toString()).toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    synchronized LedgerEntry record(TableDef def, ParquetFile file, Path source) {
        long order = entries.size();
        Path copy = dir.resolve("files").resolve(String.format("%010d-%d.parquet", order, file.id()));
        try {
            try {
                Files.createLink(copy, source);
            } catch (IOException | UnsupportedOperationException e) {
                // Another file system or no hard links: a copy holds the same bytes.
                Files.copy(source, copy, StandardCopyOption.REPLACE_EXISTING);
            }
            LedgerEntry entry = new LedgerEntry(order, def.ref(), def.dbName(), def.name(), file.id(), file.path(),
                    copy, file.rowCount(), def.seriesKey());
            Files.writeString(dir.resolve(INDEX), SimJson.MAPPER.writeValueAsString(toJson(entry)) + "\n",
                    StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            entries.add(entry);
            return entry;
        } catch (IOException e) {
            throw new SimulatorException("cannot record " + file.path() + " in ledger " + dir + ": " + e.getMessage(), e);
        }
    }

    private ObjectNode toJson(LedgerEntry e) {
        ObjectNode o = SimJson.MAPPER.createObjectNode();
        o.put("order", e.order());
        o.put("db_id", e.table().dbId());
        o.put("table_id", e.table().tableId());
        o.put("db", e.dbName());
        o.put("table", e.tableName());
        o.put("file_id", e.fileId());
        o.put("path", e.objectPath());
        o.put("copy", dir.relativize(e.copy()).toString());
        o.put("row_count", e.rowCount());
        ArrayNode tags = o.putArray("tags");
        e.tags().forEach(tags::add);
        return o;
    }

    private LedgerEntry fromJson(JsonNode o) {
        List<String> tags = new ArrayList<>();
        o.path("tags").forEach(t -> tags.add(t.asText()));
        return new LedgerEntry(o.get("order").asLong(), new TableRef(o.get("db_id").asLong(), o.get("table_id").asLong()),
                o.get("db").asText(), o.get("table").asText(), o.get("file_id").asLong(), o.get("path").asText(),
                dir.resolve(o.get("copy").asText()), o.get("row_count").asLong(), tags);
    }
}
