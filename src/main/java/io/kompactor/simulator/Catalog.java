package io.kompactor.simulator;

import io.kompactor.parquet.ColumnSpec;
import io.kompactor.parquet.InfluxType;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Names, ids and column types of databases and tables. A real server keeps this in its catalog files (docs/format.md,
 * "Catalog and WAL"), which the simulator does not write; the simulator object keeps it across its restarts instead, as
 * the disk would. Ids go in creation order, table ids per database (as in the fixtures); each change advances the
 * catalog sequence number that snapshots record.
 */
final class Catalog {
    /**
     * Pre-3.6 paths carry {@code <name>-<id>} segments (docs/format.md, "Layout of a data dir"): a fresh simulator
     * takes names from them.
     */
    private static final Pattern NAMED_SEGMENT = Pattern.compile("(.+)-(\\d+)");

    private final Map<String, Long> dbIds = new LinkedHashMap<>();
    private final Map<Long, String> dbNames = new HashMap<>();
    private final Map<TableRef, TableDef> tables = new LinkedHashMap<>();
    private long sequence;

    synchronized long sequence() {
        return sequence;
    }

    /** Never moves the sequence back: a loaded snapshot may have seen a newer catalog than this object. */
    synchronized void seenSequence(long catalogSeq) {
        sequence = Math.max(sequence, catalogSeq);
    }

    synchronized List<String> databaseNames() {
        return List.copyOf(dbIds.keySet());
    }

    synchronized Optional<Long> dbId(String db) {
        return Optional.ofNullable(dbIds.get(db));
    }

    synchronized Optional<TableDef> table(TableRef ref) {
        return Optional.ofNullable(tables.get(ref));
    }

    synchronized Optional<TableDef> table(String db, String table) {
        return tables.values().stream().filter(t -> t.dbName().equals(db) && t.name().equals(table)).findFirst();
    }

    synchronized String tableName(TableRef ref) {
        TableDef t = tables.get(ref);
        return t == null ? "table" + ref.tableId() : t.name();
    }

    /**
     * Makes sure the loaded files' tables are known. Their columns stay unknown until a write names them; their
     * names come from a pre-3.6 path, or are made up ({@code db<id>}, {@code table<id>}).
     */
    synchronized void learn(FileListing files) {
        files.byTable().forEach((ref, list) -> {
            if (tables.containsKey(ref)) {
                return;
            }
            String[] seg = list.isEmpty() ? new String[0] : list.get(0).path().split("/");
            String db = seg.length > 3 ? nameOf(seg[2], ref.dbId()).orElse("db" + ref.dbId()) : "db" + ref.dbId();
            String table = seg.length > 3 ? nameOf(seg[3], ref.tableId()).orElse("table" + ref.tableId())
                    : "table" + ref.tableId();
            dbIds.putIfAbsent(dbNames.computeIfAbsent(ref.dbId(), id -> db), ref.dbId());
            tables.put(ref, new TableDef(dbNames.get(ref.dbId()), table, ref, List.of()));
        });
    }

    /**
     * The table a write goes to, created or extended for {@code rows} as the server's write validation would: new
     * columns are appended (tags to the series key), a value of another type than the column's is rejected.
     */
    synchronized TableDef prepareWrite(String db, String table, List<Row> rows) {
        long dbId = dbIds.computeIfAbsent(db, name -> {
            long id = dbNames.keySet().stream().mapToLong(Long::longValue).max().orElse(-1) + 1;
            dbNames.put(id, name);
            sequence++;
            return id;
        });
        TableDef def = table(db, table).orElse(null);
        if (def == null) {
            long id = tables.keySet().stream().filter(r -> r.dbId() == dbId).mapToLong(TableRef::tableId).max().orElse(-1) + 1;
            def = new TableDef(db, table, new TableRef(dbId, id), List.of());
            sequence++;
        }
        List<ColumnSpec> columns = new ArrayList<>(def.columns());
        for (Row r : rows) {
            r.tags().keySet().forEach(tag -> addColumn(columns, db, table, tag, InfluxType.TAG));
            r.fields().forEach((name, value) -> addColumn(columns, db, table, name, typeOf(value)));
            addColumn(columns, db, table, "time", InfluxType.TIME);
        }
        TableDef updated = new TableDef(db, table, def.ref(), columns);
        tables.put(def.ref(), updated);
        return updated;
    }

    private void addColumn(List<ColumnSpec> columns, String db, String table, String name, InfluxType type) {
        Optional<ColumnSpec> existing = columns.stream().filter(c -> c.name().equals(name)).findFirst();
        if (existing.isEmpty()) {
            columns.add(new ColumnSpec(name, type));
            sequence++;
        } else if (existing.get().type() != type) {
            throw new IllegalArgumentException(db + "." + table + ": column " + name + " is "
                    + existing.get().type() + ", the write has " + type);
        }
    }

    private static InfluxType typeOf(Object v) {
        if (v instanceof Double) {
            return InfluxType.FLOAT;
        }
        if (v instanceof Long) {
            return InfluxType.INTEGER;
        }
        if (v instanceof BigInteger) {
            return InfluxType.UINTEGER;
        }
        if (v instanceof Boolean) {
            return InfluxType.BOOLEAN;
        }
        return InfluxType.STRING;
    }

    private static Optional<String> nameOf(String segment, long id) {
        Matcher m = NAMED_SEGMENT.matcher(segment);
        return m.matches() && Long.parseLong(m.group(2)) == id ? Optional.of(m.group(1)) : Optional.empty();
    }
}
