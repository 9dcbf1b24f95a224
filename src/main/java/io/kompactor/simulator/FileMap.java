package io.kompactor.simulator;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A mutable files-per-table map: the server's in-memory {@code PersistedFiles}, and the builders of checkpoints
 * and removal lists. Files of one table keep insertion order; an id index keeps de-duplicating adds cheap for the
 * hundred-thousand-file data dirs the benchmark loads.
 */
final class FileMap {
    private final Map<TableRef, List<ParquetFile>> files = new LinkedHashMap<>();
    private final Map<TableRef, Map<Long, Integer>> idCounts = new HashMap<>();

    /**
     * Appends, even when the table already lists the id: the server's initial load does not de-duplicate
     * (docs/format.md, "removed_files and the newest-first fold").
     */
    void append(TableRef t, ParquetFile f) {
        files.computeIfAbsent(t, k -> new ArrayList<>()).add(f);
        idCounts.computeIfAbsent(t, k -> new HashMap<>()).merge(f.id(), 1, Integer::sum);
    }

    /** Adds unless the table already lists the id; true if added. */
    boolean addIfAbsent(TableRef t, ParquetFile f) {
        if (contains(t, f.id())) {
            return false;
        }
        append(t, f);
        return true;
    }

    void addAll(FileListing listing, boolean deduplicate) {
        listing.byTable().forEach((t, list) -> list.forEach(f -> {
            if (deduplicate) {
                addIfAbsent(t, f);
            } else {
                append(t, f);
            }
        }));
    }

    boolean contains(TableRef t, long id) {
        Map<Long, Integer> ids = idCounts.get(t);
        return ids != null && ids.containsKey(id);
    }

    /** Removes every entry of {@code t} with one of {@code ids}; returns what was removed. */
    List<ParquetFile> removeIds(TableRef t, Collection<Long> ids) {
        Map<Long, Integer> present = idCounts.get(t);
        if (present == null || ids.isEmpty()) {
            return List.of();
        }
        Set<Long> wanted = new HashSet<>(ids);
        wanted.retainAll(present.keySet());
        return wanted.isEmpty() ? List.of() : removeIf(t, f -> wanted.contains(f.id()));
    }

    /** Removes, by id per table, every file {@code removals} lists; returns what was removed. */
    List<ParquetFile> removeAll(FileListing removals) {
        List<ParquetFile> removed = new ArrayList<>();
        removals.byTable().forEach((t, list) -> removed.addAll(removeIds(t, list.stream().map(ParquetFile::id).toList())));
        return removed;
    }

    List<ParquetFile> removeIf(TableRef t, Predicate<ParquetFile> which) {
        List<ParquetFile> list = files.get(t);
        if (list == null) {
            return List.of();
        }
        List<ParquetFile> removed = new ArrayList<>();
        list.removeIf(f -> {
            if (which.test(f)) {
                removed.add(f);
                return true;
            }
            return false;
        });
        Map<Long, Integer> ids = idCounts.get(t);
        removed.forEach(f -> ids.computeIfPresent(f.id(), (k, n) -> n == 1 ? null : n - 1));
        return removed;
    }

    Set<TableRef> tables() {
        return files.keySet();
    }

    List<ParquetFile> files(TableRef t) {
        return files.getOrDefault(t, List.of());
    }

    boolean isEmpty() {
        return files.values().stream().allMatch(List::isEmpty);
    }

    void clear() {
        files.clear();
        idCounts.clear();
    }

    /** An immutable copy; tables left without files are dropped, as serde would never write them. */
    FileListing toListing() {
        Map<TableRef, List<ParquetFile>> out = new LinkedHashMap<>();
        files.forEach((t, list) -> {
            if (!list.isEmpty()) {
                out.put(t, list);
            }
        });
        return new FileListing(out);
    }

    static FileMap of(FileListing listing) {
        FileMap m = new FileMap();
        m.addAll(listing, false);
        return m;
    }
}
