package io.kompactor.snapshot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A metadata file as read from disk: its JSON tree (kept whole, so a rewrite changes only the file list and its
 * totals), its mtime and whether it ended in a newline. Edits return a new document; the tree is never shared.
 */
public record MetadataDoc(Path file, DocKind kind, ObjectNode json, FileTime mtime, boolean trailingNewline,
                          Map<TableKey, List<ParquetFileEntry>> files) {

    /** Parses the file list once: documents are read far more often than they are written. */
    public MetadataDoc(Path file, DocKind kind, ObjectNode json, FileTime mtime, boolean trailingNewline) {
        this(file, kind, json, mtime, trailingNewline, parseFiles(file, kind, json));
    }

    public static MetadataDoc read(Path file, DocKind kind) {
        byte[] bytes;
        FileTime mtime;
        try {
            bytes = Files.readAllBytes(file);
            mtime = Files.getLastModifiedTime(file);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new MetadataException(file + ": file not found", e);
        } catch (IOException e) {
            throw new MetadataException(file + ": cannot read: " + io.kompactor.fs.FileOps.describe(e), e);
        }
        return parse(file, kind, bytes, mtime);
    }

    /** A document from bytes already read (so a hash of exactly these bytes can go with it). */
    public static MetadataDoc parse(Path file, DocKind kind, byte[] bytes, FileTime mtime) {
        ObjectNode json = Json.parseObject(bytes, file.toString());
        boolean nl = bytes.length > 0 && bytes[bytes.length - 1] == '\n';
        return new MetadataDoc(file, kind, json, mtime, nl);
    }

    /** Files listed by a document, per table, in document order; a bad list is refused naming the file. */
    private static Map<TableKey, List<ParquetFileEntry>> parseFiles(Path file, DocKind kind, ObjectNode json) {
        Map<TableKey, List<ParquetFileEntry>> out = new LinkedHashMap<>();
        String where = file.toString();
        if (kind == DocKind.SNAPSHOT || kind == DocKind.CHECKPOINT) {
            readDatabases(json.get("databases"), "databases", where, out);
        } else {
            TableKey key = new TableKey(Json.requireLong(json, "db_id", where), Json.requireLong(json, "table_id", where));
            JsonNode files = json.get("files");
            if (files == null || !files.isArray()) {
                throw new MetadataException(where + ": missing \"files\" array");
            }
            List<ParquetFileEntry> list = new ArrayList<>();
            for (JsonNode f : files) {
                list.add(ParquetFileEntry.fromJson(f, where));
            }
            out.put(key, list);
        }
        out.replaceAll((k, v) -> List.copyOf(v));
        return java.util.Collections.unmodifiableMap(out);
    }

    public List<ParquetFileEntry> allFiles() {
        return files().values().stream().flatMap(List::stream).toList();
    }

    /**
     * Reads a serde {@code SerdeVecMap<DbId, DatabaseTables>}: {@code [[db, {"tables": [[table, [file...]]]}]]}.
     * Duplicate keys are an error in the server too.
     */
    static void readDatabases(JsonNode dbs, String field, String where, Map<TableKey, List<ParquetFileEntry>> out) {
        if (dbs == null || !dbs.isArray()) {
            throw new MetadataException(where + ": missing \"" + field + "\" array");
        }
        Set<Long> seenDbs = new HashSet<>();
        for (JsonNode pair : dbs) {
            if (!pair.isArray() || pair.size() != 2 || !pair.get(0).canConvertToLong()) {
                throw new MetadataException(where + ": \"" + field + "\" entries must be [db_id, {\"tables\": ...}]");
            }
            long db = pair.get(0).longValue();
            if (!seenDbs.add(db)) {
                throw new MetadataException(where + ": duplicate database id " + db + " in \"" + field + "\"");
            }
            JsonNode tables = pair.get(1).get("tables");
            if (tables == null || !tables.isArray()) {
                throw new MetadataException(where + ": database " + db + " has no \"tables\" array");
            }
            Set<Long> seenTables = new HashSet<>();
            for (JsonNode t : tables) {
                if (!t.isArray() || t.size() != 2 || !t.get(0).canConvertToLong() || !t.get(1).isArray()) {
                    throw new MetadataException(where + ": table entries of database " + db
                            + " must be [table_id, [files]]");
                }
                long table = t.get(0).longValue();
                if (!seenTables.add(table)) {
                    throw new MetadataException(where + ": duplicate table id " + table + " in database " + db);
                }
                List<ParquetFileEntry> list = out.computeIfAbsent(new TableKey(db, table), k -> new ArrayList<>());
                for (JsonNode f : t.get(1)) {
                    list.add(ParquetFileEntry.fromJson(f, where));
                }
            }
        }
    }

    /**
     * Drops the files whose id is in {@code remove}, appends {@code add} and recomputes the totals. Empty table and
     * database entries are dropped (the server never writes them), the document itself is kept even when empty.
     */
    public MetadataDoc edit(Set<Long> remove, Map<TableKey, List<ParquetFileEntry>> add) {
        boolean removes = allFiles().stream().anyMatch(f -> remove.contains(f.id()));
        boolean adds = add.values().stream().anyMatch(l -> !l.isEmpty());
        if (!removes && !adds) {
            return this; // a document the commit does not change keeps even totals the server got wrong
        }
        ObjectNode copy = json.deepCopy();
        if (kind == DocKind.SNAPSHOT || kind == DocKind.CHECKPOINT) {
            editDatabases((ArrayNode) copy.get("databases"), remove, add);
        } else {
            ArrayNode files = (ArrayNode) copy.get("files");
            removeFromArray(files, remove);
            TableKey key = new TableKey(copy.get("db_id").longValue(), copy.get("table_id").longValue());
            for (ParquetFileEntry e : add.getOrDefault(key, List.of())) {
                files.add(e.toJson());
            }
            if (kind == DocKind.TABLE_INDEX) {
                List<JsonNode> sorted = new ArrayList<>();
                files.forEach(sorted::add);
                sorted.sort(Comparator.comparingLong(n -> n.get("id").longValue()));
                files.removeAll();
                files.addAll(sorted);
            }
        }
        Map<TableKey, List<ParquetFileEntry>> files = parseFiles(file, kind, copy);
        recomputeTotals(copy, kind, files);
        return new MetadataDoc(file, kind, copy, mtime, trailingNewline, files);
    }

    private static void editDatabases(ArrayNode dbs, Set<Long> remove, Map<TableKey, List<ParquetFileEntry>> add) {
        for (int i = dbs.size() - 1; i >= 0; i--) {
            ArrayNode tables = (ArrayNode) dbs.get(i).get(1).get("tables");
            for (int j = tables.size() - 1; j >= 0; j--) {
                ArrayNode files = (ArrayNode) tables.get(j).get(1);
                if (removeFromArray(files, remove) && files.isEmpty()) {
                    tables.remove(j);
                }
            }
            if (tables.isEmpty()) {
                dbs.remove(i);
            }
        }
        for (Map.Entry<TableKey, List<ParquetFileEntry>> e : add.entrySet()) {
            if (e.getValue().isEmpty()) {
                continue;
            }
            ArrayNode files = tableFiles(dbs, e.getKey());
            e.getValue().forEach(f -> files.add(f.toJson()));
        }
    }

    /** The files array of a table, appending the db and table entries when missing (one entry per key). */
    private static ArrayNode tableFiles(ArrayNode dbs, TableKey key) {
        JsonNodeFactory nf = JsonNodeFactory.instance;
        ObjectNode dbValue = null;
        for (JsonNode pair : dbs) {
            if (pair.get(0).longValue() == key.dbId()) {
                dbValue = (ObjectNode) pair.get(1);
            }
        }
        if (dbValue == null) {
            ArrayNode pair = nf.arrayNode();
            pair.add(key.dbId());
            dbValue = nf.objectNode();
            dbValue.set("tables", nf.arrayNode());
            pair.add(dbValue);
            dbs.add(pair);
        }
        ArrayNode tables = (ArrayNode) dbValue.get("tables");
        for (JsonNode t : tables) {
            if (t.get(0).longValue() == key.tableId()) {
                return (ArrayNode) t.get(1);
            }
        }
        ArrayNode t = nf.arrayNode();
        t.add(key.tableId());
        ArrayNode files = nf.arrayNode();
        t.add(files);
        tables.add(t);
        return files;
    }

    private static boolean removeFromArray(ArrayNode files, Set<Long> remove) {
        boolean changed = false;
        for (int k = files.size() - 1; k >= 0; k--) {
            if (remove.contains(files.get(k).get("id").longValue())) {
                files.remove(k);
                changed = true;
            }
        }
        return changed;
    }

    /**
     * Totals are sums over the listed files (docs/format.md, "Totals"); an empty snapshot or checkpoint keeps the
     * server's defaults (i64::MAX / i64::MIN), an empty table index has {@code IndexMetadata::empty()} =
     * {0, 0, i64::MAX, 0}.
     */
    private static void recomputeTotals(ObjectNode json, DocKind kind, Map<TableKey, List<ParquetFileEntry>> files) {
        Collection<ParquetFileEntry> all = files.values().stream().flatMap(List::stream).toList();
        long size = 0;
        long rows = 0;
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (ParquetFileEntry f : all) {
            size += f.sizeBytes();
            rows += f.rowCount();
            min = Math.min(min, f.minTime());
            max = Math.max(max, f.maxTime());
        }
        if (all.isEmpty() && (kind == DocKind.TABLE_INDEX || kind == DocKind.TABLE_SNAPSHOT)) {
            max = 0;
        }
        putIfPresent(json, "parquet_size_bytes", size);
        putIfPresent(json, "row_count", rows);
        putIfPresent(json, "min_time", min);
        putIfPresent(json, "max_time", max);
    }

    private static void putIfPresent(ObjectNode json, String field, long value) {
        if (json.has(field)) {
            json.put(field, value); // replaces in place: the field keeps its position
        }
    }

    public byte[] bytes() {
        return Json.prettyBytes(json, trailingNewline);
    }

    /** True when some entry of this document has one of these ids. */
    public boolean listsAny(java.util.Collection<Long> ids) {
        for (List<ParquetFileEntry> l : files.values()) {
            for (ParquetFileEntry e : l) {
                if (ids.contains(e.id())) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Ids of every entry. */
    public Set<Long> ids() {
        Set<Long> s = new HashSet<>();
        files.values().forEach(l -> l.forEach(e -> s.add(e.id())));
        return s;
    }
}
