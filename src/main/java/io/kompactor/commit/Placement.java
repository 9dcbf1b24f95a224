package io.kompactor.commit;

import io.kompactor.snapshot.Checkpoint;
import io.kompactor.snapshot.DocKind;
import io.kompactor.snapshot.HostMetadata;
import io.kompactor.snapshot.MetadataDoc;
import io.kompactor.snapshot.ParquetFileEntry;
import io.kompactor.snapshot.Snapshot;
import io.kompactor.snapshot.TableKey;

import java.nio.file.Path;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where entries go: the rules that decide which metadata files a transaction changes and how (docs/format.md,
 * "What a compactor changes"; docs/commit-protocol.md, "Placement"). Inputs disappear from every file that lists them;
 * outputs appear where the newest listing of an input was (the target snapshot), in the checkpoints that stand for it,
 * and in the table index once it covers it, so they stay visible exactly as long as the data they replace. Rollback and
 * reconciliation apply the same rule in the other direction or again.
 */
public final class Placement {
    private Placement() {
    }

    /** One file to change: as read now, what to add (per table) and which entries to remove. */
    public record Edit(MetadataDoc doc, Map<TableKey, List<ParquetFileEntry>> add, List<ParquetFileEntry> remove) {
        boolean empty() {
            return add.values().stream().allMatch(List::isEmpty) && remove.isEmpty();
        }
    }

    /** A compaction of {@code groups}: inputs out everywhere, outputs in where the newest input was listed. */
    public static List<Edit> forCommit(HostMetadata m, List<Group> groups) {
        Edits edits = new Edits();
        for (Group g : groups) {
            Set<Long> in = ids(g.inputs());
            Snapshot target = null;
            for (Snapshot s : m.snapshots()) { // newest first
                if (s.doc().listsAny(in)) {
                    target = s;
                    break;
                }
            }
            for (MetadataDoc d : m.allDocs()) {
                for (ParquetFileEntry e : d.allFiles()) {
                    if (in.contains(e.id())) {
                        edits.remove(d, e);
                    }
                }
            }
            if (target != null) {
                edits.add(target.doc(), g.table(), g.outputs());
            }
            Set<Long> targetInputs = target == null ? Set.of() : intersect(target.doc().ids(), in);
            // A checkpoint stands in for the snapshots it covers: the outputs go where the target's inputs were. Files
            // only a checkpoint lists go to the newest month's checkpoints that list them.
            String month = null;
            if (target == null) {
                for (Checkpoint c : m.checkpoints()) {
                    if (c.doc().listsAny(in) && (month == null || c.yearMonth().compareTo(month) > 0)) {
                        month = c.yearMonth();
                    }
                }
            }
            boolean placed = target != null;
            for (Checkpoint c : m.checkpoints()) {
                boolean holds = target != null ? c.doc().listsAny(targetInputs) : c.yearMonth().equals(month);
                if (holds) {
                    edits.add(c.doc(), g.table(), g.outputs());
                    placed = true;
                }
            }
            if (!placed) {
                throw new CommitException("no snapshot or checkpoint of " + m.host() + " lists the inputs of " + g.label());
            }
            long targetSeq = target == null ? -1 : target.sequence();
            boolean indexHasTarget = m.indexMarker().isPresent() && targetSeq >= 0
                    && targetSeq <= m.indexMarker().getAsLong();
            for (MetadataDoc d : m.tableIndices()) {
                if (isTable(d, g.table()) && (indexHasTarget || d.listsAny(in))) {
                    edits.add(d, g.table(), g.outputs());
                }
            }
            for (MetadataDoc d : m.tableSnapshots()) {
                if (isTable(d, g.table()) && d.json().path("snapshot_sequence_number").asLong(-2) == targetSeq) {
                    edits.add(d, g.table(), g.outputs());
                }
            }
        }
        return edits.list();
    }

    /**
     * Undoes committed compaction {@code subject}: wherever its outputs are listed (also in files written after it,
     * such as a checkpoint the server built from the rewritten snapshots) they are replaced by the inputs that file
     * had; files that only lost inputs get them back. {@code earlier} maps each file path to the entries the subject
     * (and reconciliations of it) removed from it.
     */
    public static List<Edit> forRollback(HostMetadata m, JournalEntry subject, Map<String, List<ParquetFileEntry>> earlier,
                                         Path dataDir) {
        Edits edits = new Edits();
        for (MetadataDoc d : m.allDocs()) {
            String path = objectPath(dataDir, d);
            Set<Long> listed = d.ids();
            List<ParquetFileEntry> had = earlier.getOrDefault(path, List.of());
            for (Group g : subject.groups()) {
                Set<Long> out = ids(g.outputs());
                boolean listsOutputs = d.listsAny(out);
                for (ParquetFileEntry e : d.allFiles()) {
                    if (out.contains(e.id())) {
                        edits.remove(d, e);
                    }
                }
                Set<Long> in = ids(g.inputs());
                List<ParquetFileEntry> back = new ArrayList<>();
                for (ParquetFileEntry e : had) {
                    if (in.contains(e.id())) {
                        back.add(e);
                    }
                }
                if (back.isEmpty() && listsOutputs) {
                    back.addAll(g.inputs()); // e.g. a file written after the commit: outputs back to all the inputs
                }
                back.removeIf(e -> listed.contains(e.id()));
                if (!back.isEmpty()) {
                    edits.add(d, g.table(), back);
                }
            }
        }
        return edits.list();
    }

    /**
     * Metadata that lists inputs of committed compaction {@code subject} again (the server wrote it from what it loaded
     * before the commit): the inputs go, and the outputs go where the commit put them — the target snapshot, the
     * checkpoints of its month that cover it, the table's index — unless the file lists them already.
     */
    public static List<Edit> forReconcile(HostMetadata m, JournalEntry subject) {
        Edits edits = new Edits();
        for (Group g : subject.groups()) {
            Set<Long> in = ids(g.inputs());
            Set<Long> out = ids(g.outputs());
            Snapshot target = null;
            for (Snapshot s : m.snapshots()) {
                if (s.doc().listsAny(out)) {
                    target = s;
                    break;
                }
            }
            Set<String> months = new HashSet<>();
            for (Checkpoint c : m.checkpoints()) {
                if (c.doc().listsAny(out)) {
                    months.add(c.yearMonth());
                }
            }
            String targetMonth = target == null ? null : month(target.doc());
            for (MetadataDoc d : m.allDocs()) {
                if (!d.listsAny(in)) {
                    continue;
                }
                for (ParquetFileEntry e : d.allFiles()) {
                    if (in.contains(e.id())) {
                        edits.remove(d, e);
                    }
                }
                if (d.listsAny(out)) {
                    continue;
                }
                boolean takes = switch (d.kind()) {
                    case SNAPSHOT -> target != null && d == target.doc();
                    case CHECKPOINT -> {
                        Checkpoint c = checkpointOf(m, d);
                        yield c != null && (months.contains(c.yearMonth()) || target != null
                                && c.yearMonth().equals(targetMonth) && c.lastSnapshotSequence() >= target.sequence());
                    }
                    case TABLE_INDEX -> isTable(d, g.table());
                    case TABLE_SNAPSHOT -> isTable(d, g.table()) && target != null
                            && d.json().path("snapshot_sequence_number").asLong(-2) == target.sequence();
                };
                if (takes) {
                    edits.add(d, g.table(), g.outputs());
                }
            }
        }
        return edits.list();
    }

    /** The month the server files a snapshot under when it builds checkpoints: its persisted time, the file's mtime. */
    static String month(MetadataDoc snapshot) {
        return YearMonth.from(Instant.ofEpochMilli(snapshot.mtime().toMillis()).atZone(ZoneOffset.UTC)).toString();
    }

    private static Checkpoint checkpointOf(HostMetadata m, MetadataDoc d) {
        for (Checkpoint c : m.checkpoints()) {
            if (c.doc() == d) {
                return c;
            }
        }
        return null;
    }

    static String objectPath(Path dataDir, MetadataDoc d) {
        return dataDir.relativize(d.file()).toString().replace('\\', '/');
    }

    static boolean isTable(MetadataDoc d, TableKey table) {
        return (d.kind() == DocKind.TABLE_INDEX || d.kind() == DocKind.TABLE_SNAPSHOT)
                && d.json().path("db_id").asLong(-1) == table.dbId()
                && d.json().path("table_id").asLong(-1) == table.tableId();
    }

    static Set<Long> ids(List<ParquetFileEntry> l) {
        Set<Long> s = new HashSet<>();
        l.forEach(e -> s.add(e.id()));
        return s;
    }

    private static Set<Long> intersect(Set<Long> a, Set<Long> b) {
        Set<Long> s = new HashSet<>(a);
        s.retainAll(b);
        return s;
    }

    /** Edits keyed by file, in the order the files were first met. */
    private static final class Edits {
        private final Map<Path, MetadataDoc> docs = new LinkedHashMap<>();
        private final Map<Path, Map<TableKey, List<ParquetFileEntry>>> add = new LinkedHashMap<>();
        private final Map<Path, Map<Long, ParquetFileEntry>> remove = new LinkedHashMap<>();

        void add(MetadataDoc d, TableKey t, List<ParquetFileEntry> entries) {
            docs.putIfAbsent(d.file(), d);
            List<ParquetFileEntry> l = add.computeIfAbsent(d.file(), k -> new LinkedHashMap<>())
                    .computeIfAbsent(t, k -> new ArrayList<>());
            for (ParquetFileEntry e : entries) {
                if (l.stream().noneMatch(x -> x.id() == e.id())) {
                    l.add(e);
                }
            }
        }

        void remove(MetadataDoc d, ParquetFileEntry e) {
            docs.putIfAbsent(d.file(), d);
            remove.computeIfAbsent(d.file(), k -> new LinkedHashMap<>()).putIfAbsent(e.id(), e);
        }

        List<Edit> list() {
            List<Edit> out = new ArrayList<>();
            docs.forEach((p, d) -> {
                Edit e = new Edit(d, add.getOrDefault(p, Map.of()),
                        List.copyOf(remove.getOrDefault(p, Map.of()).values()));
                if (!e.empty()) {
                    out.add(e);
                }
            });
            return out;
        }
    }
}
