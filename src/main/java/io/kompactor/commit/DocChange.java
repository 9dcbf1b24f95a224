package io.kompactor.commit;

import io.kompactor.snapshot.DocKind;
import io.kompactor.snapshot.ParquetFileEntry;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One metadata file a transaction changes: its object path, a backup of it (relative to the state dir), the SHA-256
 * of its content before, after the additions and after the whole change, and the entries added and removed. The
 * hashes are the compare-and-swap of each step; the entries let an undo edit the file back even after someone else
 * changed it too (docs/commit-protocol.md, "Never restore over later work"). {@code restoreFrom}, when set, is a backup
 * (relative to the state dir) whose bytes are the file's final content: a rollback of a file nobody changed since the
 * commit puts back the exact original instead of an equivalent edit.
 */
public record DocChange(String path, DocKind kind, String backup, String shaBefore, String shaAdded, String shaAfter,
                        List<TableFiles> added, List<TableFiles> removed, String restoreFrom) {
    public DocChange {
        added = added == null ? List.of() : List.copyOf(added);
        removed = removed == null ? List.of() : List.copyOf(removed);
    }

    public boolean adds() {
        return added.stream().anyMatch(t -> !t.files().isEmpty());
    }

    public boolean removes() {
        return removed.stream().anyMatch(t -> !t.files().isEmpty());
    }

    public Set<Long> addedIds() {
        return ids(added);
    }

    public Set<Long> removedIds() {
        return ids(removed);
    }

    static Set<Long> ids(List<TableFiles> l) {
        Set<Long> s = new HashSet<>();
        l.forEach(t -> t.files().forEach(f -> s.add(f.id())));
        return s;
    }

    public List<ParquetFileEntry> removedEntries() {
        return removed.stream().flatMap(t -> t.files().stream()).toList();
    }
}
