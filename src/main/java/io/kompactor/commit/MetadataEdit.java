package io.kompactor.commit;

import io.kompactor.snapshot.Checkpoint;
import io.kompactor.snapshot.HostMetadata;
import io.kompactor.snapshot.MetadataDoc;
import io.kompactor.snapshot.ParquetFileEntry;
import io.kompactor.snapshot.Snapshot;
import io.kompactor.snapshot.TableKey;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One metadata document before and after a commit, and the rules that decide which documents change and how
 * (format §3.9 steps 6–8). Inputs disappear from every document; the compacted entries appear where the newest
 * listing of an input was, so they stay visible exactly as long as the data they replace.
 */
public record MetadataEdit(Stage stage, MetadataDoc before, MetadataDoc after) {

    /** Rewrite order; the target snapshot goes first so a crash can only duplicate, never hide, data. */
    public enum Stage {
        TARGET_SNAPSHOT(CommitStep.FIRST_DOCUMENT_REWRITTEN),
        SNAPSHOTS(CommitStep.SNAPSHOTS_REWRITTEN),
        CHECKPOINTS(CommitStep.CHECKPOINTS_REWRITTEN),
        TABLE_INDEX(CommitStep.TABLE_INDEX_REWRITTEN);

        private final CommitStep step;

        Stage(CommitStep step) {
            this.step = step;
        }

        CommitStep step() {
            return step;
        }
    }

    public static List<MetadataEdit> forCommit(HostMetadata m, TableKey table, Set<Long> inputIds,
                                               List<ParquetFileEntry> outputs) {
        Map<TableKey, List<ParquetFileEntry>> add = Map.of(table, outputs);
        Map<TableKey, List<ParquetFileEntry>> none = Collections.emptyMap();
        List<MetadataEdit> edits = new ArrayList<>();

        Snapshot target = null;
        for (Snapshot s : m.snapshots()) { // newest first
            if (listsAny(s.doc(), inputIds)) {
                target = s;
                break;
            }
        }
        Set<Long> targetInputs = new HashSet<>();
        if (target != null) {
            for (ParquetFileEntry e : target.doc().allFiles()) {
                if (inputIds.contains(e.id())) {
                    targetInputs.add(e.id());
                }
            }
        }
        for (Snapshot s : m.snapshots()) {
            if (s == target) {
                edits.add(new MetadataEdit(Stage.TARGET_SNAPSHOT, s.doc(), s.doc().edit(inputIds, add)));
            } else if (listsAny(s.doc(), inputIds)) {
                edits.add(new MetadataEdit(Stage.SNAPSHOTS, s.doc(), s.doc().edit(inputIds, none)));
            }
        }
        // A checkpoint stands in for the snapshots it covers: the outputs go where the target's inputs were. When no
        // snapshot lists any input (checkpoint-only files), they go to the newest month's checkpoints that did.
        String month = null;
        if (target == null) {
            for (Checkpoint c : m.checkpoints()) {
                if (listsAny(c.doc(), inputIds) && (month == null || c.yearMonth().compareTo(month) > 0)) {
                    month = c.yearMonth();
                }
            }
        }
        boolean placed = target != null;
        for (Checkpoint c : m.checkpoints()) {
            if (listsAny(c.doc(), inputIds)) {
                boolean holdsTarget = target != null ? listsAny(c.doc(), targetInputs) : c.yearMonth().equals(month);
                placed |= holdsTarget;
                edits.add(new MetadataEdit(Stage.CHECKPOINTS, c.doc(), c.doc().edit(inputIds, holdsTarget ? add : none)));
            }
        }
        if (!placed) {
            throw new CommitException("no snapshot or checkpoint of " + m.host() + " lists the inputs");
        }
        long targetSeq = target == null ? -1 : target.sequence();
        boolean indexHasTarget = m.indexMarker().isPresent() && targetSeq >= 0
                && targetSeq <= m.indexMarker().getAsLong();
        for (MetadataDoc d : m.tableIndices()) {
            boolean ours = isTable(d, table);
            boolean addHere = ours && indexHasTarget;
            if (listsAny(d, inputIds) || addHere) {
                edits.add(new MetadataEdit(Stage.TABLE_INDEX, d, d.edit(inputIds, addHere ? add : none)));
            }
        }
        for (MetadataDoc d : m.tableSnapshots()) {
            boolean addHere = isTable(d, table) && d.json().path("snapshot_sequence_number").asLong(-2) == targetSeq;
            if (listsAny(d, inputIds) || addHere) {
                edits.add(new MetadataEdit(Stage.TABLE_INDEX, d, d.edit(inputIds, addHere ? add : none)));
            }
        }
        return edits;
    }

    private static boolean isTable(MetadataDoc d, TableKey table) {
        return d.json().path("db_id").asLong(-1) == table.dbId() && d.json().path("table_id").asLong(-1) == table.tableId();
    }

    private static boolean listsAny(MetadataDoc d, Set<Long> ids) {
        for (ParquetFileEntry e : d.allFiles()) {
            if (ids.contains(e.id())) {
                return true;
            }
        }
        return false;
    }
}
