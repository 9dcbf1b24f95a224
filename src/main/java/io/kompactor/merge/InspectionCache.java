package io.kompactor.merge;

import io.kompactor.parquet.ParquetFacts;
import io.kompactor.parquet.ParquetInspector;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Footer inspections that {@link DuckDbMerger#checkInputs} made for a table, kept for that table's merges so that
 * each plan does not read the same footers again (with hourly windows that was four footer queries per plan on top
 * of the table's). An entry is used only while the file still has the size and modification time it had when its
 * footer was read; otherwise the merge reads the footer afresh. Bounded: past {@link #MAX_ENTRIES} it starts over,
 * since a table whose inputs do not fit would not be merged from here anyway.
 */
final class InspectionCache {

    static final int MAX_ENTRIES = 20_000;

    /** A file's size and modification time, or null if it cannot be read. */
    record Stamp(long size, long modifiedNanos) {
        static Stamp of(Path file) {
            try {
                BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
                return new Stamp(a.size(), a.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS));
            } catch (IOException e) {
                return null;
            }
        }
    }

    private record Entry(Stamp stamp, ParquetInspector.Inspection inspection) {
    }

    private final Map<Path, Entry> entries = new ConcurrentHashMap<>();
    /** One instance per distinct ARROW:schema: the files of a table mostly share it, and it is a few KB. */
    private final Map<String, String> schemas = new ConcurrentHashMap<>();

    /** The inspection of a file, if it was made and the file has not changed since; null otherwise. */
    ParquetInspector.Inspection get(Path file) {
        Entry e = entries.get(key(file));
        if (e == null) {
            return null;
        }
        Stamp now = Stamp.of(file);
        return e.stamp().equals(now) ? e.inspection() : null;
    }

    /**
     * Keeps a successful inspection with the file's stamp taken before its footer was read (a change during the read
     * then shows as a mismatch later). A file with a problem is inspected again at its merge, to name the problem.
     */
    void put(ParquetInspector.Inspection in, Stamp stamp) {
        if (in.problem() != null || in.facts() == null || stamp == null) {
            return;
        }
        if (entries.size() >= MAX_ENTRIES) {
            entries.clear();
            schemas.clear();
        }
        ParquetFacts f = in.facts();
        String schema = f.arrowSchemaBase64() == null ? null : schemas.computeIfAbsent(f.arrowSchemaBase64(), s -> s);
        ParquetFacts shared = new ParquetFacts(f.file(), f.sizeBytes(), f.rowCount(), f.minTime(), f.maxTime(),
                f.columns(), schema);
        entries.put(key(in.file()), new Entry(stamp, new ParquetInspector.Inspection(in.file(), shared, in.time(), null)));
    }

    void forget(Path file) {
        entries.remove(key(file));
    }

    private static Path key(Path file) {
        return file.toAbsolutePath().normalize();
    }
}
