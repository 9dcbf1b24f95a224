package io.kompactor.commit;

import io.kompactor.snapshot.HostMetadata;
import io.kompactor.snapshot.ParquetFileEntry;
import io.kompactor.snapshot.TableKey;
import io.kompactor.testing.MetadataFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.kompactor.testing.MetadataFiles.entry;
import static io.kompactor.testing.MetadataFiles.ns;
import static io.kompactor.testing.MetadataFiles.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Where a transaction puts and takes entries (docs/commit-protocol.md, "Placement"), on a handful of metadata files:
 * which files a compaction, a rollback and a reconciliation change, and what they add to and remove from each.
 */
class PlacementTest {
    private static final String HOST = "node0";
    private static final TableKey CPU = new TableKey(0, 1);
    private static final TableKey MEM = new TableKey(0, 2);
    private static final Instant JAN = Instant.parse("2025-01-15T00:00:00Z");
    private static final Instant FEB = Instant.parse("2025-02-15T00:00:00Z");
    private static final long DAY = ns("2025-01-05T00:00:00Z");
    private static final long OUT_ID = 1L << 62;

    private static final ParquetFileEntry A = file(1, "01-00");
    private static final ParquetFileEntry B = file(2, "02-00");
    private static final ParquetFileEntry C = file(3, "03-00");
    private static final ParquetFileEntry OTHER = file(9, "09-00");
    private static final ParquetFileEntry O = entry(OUT_ID, HOST + "/dbs/0/1/2025-01-05/00-00/kompacted-2-" + OUT_ID
            + ".parquet", DAY);
    private static final Group AB_TO_O = new Group(0, 1, DAY, DAY + 86_400_000_000_000L, List.of(A, B), List.of(O));

    @TempDir
    Path tmp;

    private MetadataFiles files() {
        return new MetadataFiles(tmp.resolve("data"), HOST);
    }

    private static ParquetFileEntry file(long id, String hm) {
        return entry(id, HOST + "/dbs/0/1/2025-01-05/" + hm + "/" + String.format("%010d", id) + ".parquet",
                ns("2025-01-05T" + hm.replace('-', ':') + ":00Z"));
    }

    /** The edits by the file they change. */
    private static Map<Path, Placement.Edit> byFile(List<Placement.Edit> edits) {
        Map<Path, Placement.Edit> m = new LinkedHashMap<>();
        edits.forEach(e -> m.put(e.doc().file(), e));
        assertEquals(edits.size(), m.size(), "one edit per file");
        return m;
    }

    private static Set<Long> added(Placement.Edit e) {
        Set<Long> s = new HashSet<>();
        e.add().values().forEach(l -> l.forEach(f -> s.add(f.id())));
        return s;
    }

    private static Set<Long> removed(Placement.Edit e) {
        Set<Long> s = new HashSet<>();
        e.remove().forEach(f -> s.add(f.id()));
        return s;
    }

    private static void assertEdit(Map<Path, Placement.Edit> edits, Path file, Set<Long> remove, Set<Long> add) {
        Placement.Edit e = edits.get(file);
        assertTrue(e != null, "no edit of " + file + "; edits: " + edits.keySet());
        assertEquals(remove, removed(e), "removed from " + file.getFileName());
        assertEquals(add, added(e), "added to " + file.getFileName());
    }

    private static JournalEntry compaction(Group... groups) {
        String t = "2025-02-01T00:00:00Z";
        return new JournalEntry(JournalEntry.VERSION, "20250201-000000-000-1-1", TxKind.COMPACT, TxState.KEPT, null, HOST,
                t, t, RetirePolicy.KEEP, null, List.of(groups), List.of(), List.of(), null, null);
    }

    private String objectPath(MetadataFiles m, Path file) {
        return m.dataDir().relativize(file).toString().replace('\\', '/');
    }

    // ================================================================================================ forCommit

    @Test
    void outputsGoToTheNewestSnapshotThatListsAnInputAndInputsLeaveEverySnapshot() {
        MetadataFiles m = files();
        Path s1 = m.snapshot(1, JAN, of(CPU, A, C));
        Path s2 = m.snapshot(2, JAN, of(CPU, B));
        Path s3 = m.snapshot(3, JAN, of(CPU, OTHER));
        Map<Path, Placement.Edit> edits = byFile(Placement.forCommit(m.load(), List.of(AB_TO_O)));
        assertEdit(edits, s1, Set.of(1L), Set.of());
        assertEdit(edits, s2, Set.of(2L), Set.of(OUT_ID));
        assertFalse(edits.containsKey(s3), "a snapshot that lists no input is not touched");
        assertEquals(2, edits.size());
    }

    @Test
    void inputsLeaveEveryKindOfFileThatListsThem() {
        MetadataFiles m = files();
        Path s1 = m.snapshot(1, JAN, of(CPU, A, B));
        Path cp = m.checkpoint("2025-01", 1, of(CPU, A, B, OTHER));
        Path index = m.tableIndex(CPU, 1, List.of(A, B, OTHER));
        m.indexMarker(1);
        Map<Path, Placement.Edit> edits = byFile(Placement.forCommit(m.load(), List.of(AB_TO_O)));
        assertEdit(edits, s1, Set.of(1L, 2L), Set.of(OUT_ID));
        assertEdit(edits, cp, Set.of(1L, 2L), Set.of(OUT_ID));
        assertEdit(edits, index, Set.of(1L, 2L), Set.of(OUT_ID));
    }

    @Test
    void onlyCheckpointsThatListTheTargetsInputsGetTheOutputs() {
        MetadataFiles m = files();
        m.snapshot(1, JAN, of(CPU, A));
        Path s2 = m.snapshot(2, FEB, of(CPU, B));
        Path jan = m.checkpoint("2025-01", 1, of(CPU, A));
        Path feb = m.checkpoint("2025-02", 2, of(CPU, B));
        Map<Path, Placement.Edit> edits = byFile(Placement.forCommit(m.load(), List.of(AB_TO_O)));
        assertEdit(edits, s2, Set.of(2L), Set.of(OUT_ID));
        assertEdit(edits, jan, Set.of(1L), Set.of());
        assertEdit(edits, feb, Set.of(2L), Set.of(OUT_ID));
    }

    @Test
    void filesOnlyCheckpointsListGoToTheNewestMonthsCheckpoint() {
        MetadataFiles m = files();
        Path s5 = m.snapshot(5, FEB, of(CPU, OTHER));
        Path dec = m.checkpoint("2024-12", 2, of(CPU, A));
        Path jan = m.checkpoint("2025-01", 4, of(CPU, B));
        Map<Path, Placement.Edit> edits = byFile(Placement.forCommit(m.load(), List.of(AB_TO_O)));
        assertEdit(edits, dec, Set.of(1L), Set.of());
        assertEdit(edits, jan, Set.of(2L), Set.of(OUT_ID));
        assertFalse(edits.containsKey(s5));
    }

    @Test
    void inputsListedNowhereAreRefused() {
        MetadataFiles m = files();
        m.snapshot(1, JAN, of(CPU, OTHER));
        CommitException e = assertThrows(CommitException.class, () -> Placement.forCommit(m.load(), List.of(AB_TO_O)));
        assertTrue(e.getMessage().contains("lists the inputs"), e.getMessage());
    }

    @Test
    void theTableIndexGetsTheOutputsWhenItsMarkerCoversTheTarget() {
        MetadataFiles m = files();
        Path s3 = m.snapshot(3, JAN, of(CPU, A, B));
        Path cpuIndex = m.tableIndex(CPU, 3, List.of(OTHER)); // say the server indexed A and B elsewhere; still covered
        Path memIndex = m.tableIndex(MEM, 3, List.of(file(20, "05-00")));
        m.indexMarker(3);
        Map<Path, Placement.Edit> edits = byFile(Placement.forCommit(m.load(), List.of(AB_TO_O)));
        assertEdit(edits, s3, Set.of(1L, 2L), Set.of(OUT_ID));
        assertEdit(edits, cpuIndex, Set.of(), Set.of(OUT_ID));
        assertFalse(edits.containsKey(memIndex), "another table's index");
    }

    @Test
    void theTableIndexGetsTheOutputsWhenItListsInputsEvenIfTheTargetIsNotIndexedYet() {
        MetadataFiles m = files();
        m.snapshot(3, JAN, of(CPU, A));
        Path s7 = m.snapshot(7, JAN, of(CPU, B));
        Path index = m.tableIndex(CPU, 3, List.of(A, OTHER));
        m.indexMarker(3);
        Map<Path, Placement.Edit> edits = byFile(Placement.forCommit(m.load(), List.of(AB_TO_O)));
        assertEdit(edits, s7, Set.of(2L), Set.of(OUT_ID));
        assertEdit(edits, index, Set.of(1L), Set.of(OUT_ID));
    }

    @Test
    void anIndexThatNeitherCoversTheTargetNorListsInputsIsLeftToTheServersNextSplit() {
        MetadataFiles m = files();
        Path s7 = m.snapshot(7, JAN, of(CPU, A, B));
        Path index = m.tableIndex(CPU, 3, List.of(OTHER));
        m.indexMarker(3);
        Map<Path, Placement.Edit> edits = byFile(Placement.forCommit(m.load(), List.of(AB_TO_O)));
        assertEdit(edits, s7, Set.of(1L, 2L), Set.of(OUT_ID));
        assertFalse(edits.containsKey(index), "snapshot 7 is above the marker: the server splits it again at start");
    }

    @Test
    void theTableSnapshotOfTheTargetsSequenceGetsTheOutputs() {
        MetadataFiles m = files();
        m.snapshot(6, JAN, of(CPU, A));
        m.snapshot(7, JAN, of(CPU, B));
        m.indexMarker(5);
        Path ts6 = m.tableSnapshot(CPU, 6, List.of(A));
        Path ts7 = m.tableSnapshot(CPU, 7, List.of(B));
        Path memTs7 = m.tableSnapshot(MEM, 7, List.of(file(20, "05-00")));
        Map<Path, Placement.Edit> edits = byFile(Placement.forCommit(m.load(), List.of(AB_TO_O)));
        assertEdit(edits, ts6, Set.of(1L), Set.of());
        assertEdit(edits, ts7, Set.of(2L), Set.of(OUT_ID));
        assertFalse(edits.containsKey(memTs7), "another table's split of the same snapshot");
    }

    // ================================================================================================ forRollback

    /**
     * After the commit: snapshot 1 lost A, snapshot 2 (the target) lost B and got O, the checkpoint of January lost A
     * and B and got O; then the server wrote February's checkpoint from the rewritten snapshots (it lists O).
     */
    @Test
    void outputsAreReplacedByTheInputsEachFileHadAndFilesWrittenLaterGetAllInputs() {
        MetadataFiles m = files();
        Path s1 = m.snapshot(1, JAN, Map.of());
        Path s2 = m.snapshot(2, JAN, of(CPU, O));
        Path s3 = m.snapshot(3, FEB, of(CPU, OTHER));
        Path jan = m.checkpoint("2025-01", 2, of(CPU, O));
        Path feb = m.checkpoint("2025-02", 3, of(CPU, O, OTHER)); // written after the commit
        Map<String, List<ParquetFileEntry>> earlier = new HashMap<>();
        earlier.put(objectPath(m, s1), List.of(A));
        earlier.put(objectPath(m, s2), List.of(B));
        earlier.put(objectPath(m, jan), List.of(A, B));
        HostMetadata md = m.load();
        Map<Path, Placement.Edit> edits = byFile(Placement.forRollback(md, compaction(AB_TO_O), earlier, m.dataDir()));
        assertEdit(edits, s1, Set.of(), Set.of(1L));
        assertEdit(edits, s2, Set.of(OUT_ID), Set.of(2L));
        assertEdit(edits, jan, Set.of(OUT_ID), Set.of(1L, 2L));
        assertEdit(edits, feb, Set.of(OUT_ID), Set.of(1L, 2L));
        assertFalse(edits.containsKey(s3));
    }

    @Test
    void aFileThatOnlyLostInputsGetsThemBack() {
        MetadataFiles m = files();
        Path s1 = m.snapshot(1, JAN, of(CPU, C));
        m.snapshot(2, JAN, of(CPU, O));
        Map<String, List<ParquetFileEntry>> earlier = Map.of(objectPath(m, s1), List.of(A, B));
        Map<Path, Placement.Edit> edits = byFile(Placement.forRollback(m.load(), compaction(AB_TO_O), earlier,
                m.dataDir()));
        assertEdit(edits, s1, Set.of(), Set.of(1L, 2L));
        assertEquals(CPU, edits.get(s1).add().keySet().iterator().next(), "back under their table");
    }

    @Test
    void anInputAFileListsAlreadyIsNotAddedTwice() {
        MetadataFiles m = files();
        m.snapshot(1, JAN, of(CPU, A));
        Path cp = m.checkpoint("2025-01", 1, of(CPU, A, O)); // written in between, from a mix
        Map<Path, Placement.Edit> edits = byFile(Placement.forRollback(m.load(), compaction(AB_TO_O), Map.of(),
                m.dataDir()));
        assertEdit(edits, cp, Set.of(OUT_ID), Set.of(2L));
    }

    @Test
    void theTableIndexGetsBackWhatItHadAndTheFilesOfOtherTablesAreLeftAlone() {
        MetadataFiles m = files();
        m.snapshot(2, JAN, of(CPU, O));
        m.indexMarker(2);
        Path index = m.tableIndex(CPU, 2, List.of(O, OTHER));
        Path memIndex = m.tableIndex(MEM, 2, List.of(file(20, "05-00")));
        Map<String, List<ParquetFileEntry>> earlier = Map.of(objectPath(m, index), List.of(A, B));
        Map<Path, Placement.Edit> edits = byFile(Placement.forRollback(m.load(), compaction(AB_TO_O), earlier,
                m.dataDir()));
        assertEdit(edits, index, Set.of(OUT_ID), Set.of(1L, 2L));
        assertFalse(edits.containsKey(memIndex));
    }

    // ================================================================================================ forReconcile

    /** After the commit: snapshot 2 (mtime in January) is the target and lists O; snapshot 1 lost A. */
    private MetadataFiles committed() {
        MetadataFiles m = files();
        m.snapshot(1, JAN, of(CPU, OTHER));
        m.snapshot(2, JAN, of(CPU, O));
        return m;
    }

    private Path target(MetadataFiles m) {
        return m.dataDir().resolve(HOST).resolve("snapshots").resolve(io.kompactor.snapshot.Snapshot.fileStem(2)
                + ".info.json");
    }

    @Test
    void aCheckpointWrittenLaterOfTheTargetsMonthThatCoversItGetsTheOutputs() {
        MetadataFiles m = committed();
        Path jan = m.checkpoint("2025-01", 3, of(CPU, A, B, OTHER)); // the server's memory: the originals
        Map<Path, Placement.Edit> edits = byFile(Placement.forReconcile(m.load(), compaction(AB_TO_O)));
        assertEdit(edits, jan, Set.of(1L, 2L), Set.of(OUT_ID));
        assertFalse(edits.containsKey(target(m)), "the target lists the outputs already");
        assertEquals(1, edits.size());
    }

    @Test
    void aCheckpointOfAnotherMonthOnlyLosesTheInputs() {
        MetadataFiles m = committed();
        Path feb = m.checkpoint("2025-02", 5, of(CPU, A, OTHER));
        Map<Path, Placement.Edit> edits = byFile(Placement.forReconcile(m.load(), compaction(AB_TO_O)));
        assertEdit(edits, feb, Set.of(1L), Set.of());
    }

    @Test
    void aCheckpointOfTheTargetsMonthThatEndsBeforeItOnlyLosesTheInputs() {
        MetadataFiles m = committed();
        Path jan = m.checkpoint("2025-01", 1, of(CPU, A, OTHER));
        Map<Path, Placement.Edit> edits = byFile(Placement.forReconcile(m.load(), compaction(AB_TO_O)));
        assertEdit(edits, jan, Set.of(1L), Set.of());
    }

    @Test
    void aTableIndexRewrittenFromTheServersCacheGetsTheOutputs() {
        MetadataFiles m = committed();
        m.indexMarker(2);
        Path index = m.tableIndex(CPU, 2, List.of(A, B, OTHER));
        Path memIndex = m.tableIndex(MEM, 2, List.of(file(20, "05-00")));
        Map<Path, Placement.Edit> edits = byFile(Placement.forReconcile(m.load(), compaction(AB_TO_O)));
        assertEdit(edits, index, Set.of(1L, 2L), Set.of(OUT_ID));
        assertFalse(edits.containsKey(memIndex));
    }

    @Test
    void aFileThatListsInputsAndOutputsOnlyLosesTheInputs() {
        MetadataFiles m = committed();
        Path index = m.tableIndex(CPU, 2, List.of(A, O));
        Map<Path, Placement.Edit> edits = byFile(Placement.forReconcile(m.load(), compaction(AB_TO_O)));
        assertEdit(edits, index, Set.of(1L), Set.of());
    }

    @Test
    void aTableSnapshotOfTheTargetsSequenceGetsTheOutputs() {
        MetadataFiles m = committed();
        Path ts2 = m.tableSnapshot(CPU, 2, List.of(B));
        Path ts1 = m.tableSnapshot(CPU, 1, List.of(A, OTHER));
        Map<Path, Placement.Edit> edits = byFile(Placement.forReconcile(m.load(), compaction(AB_TO_O)));
        assertEdit(edits, ts2, Set.of(2L), Set.of(OUT_ID));
        assertEdit(edits, ts1, Set.of(1L), Set.of());
    }

    @Test
    void nothingListsInputsNothingToReconcile() {
        MetadataFiles m = committed();
        m.checkpoint("2025-01", 3, of(CPU, O, OTHER));
        assertTrue(Placement.forReconcile(m.load(), compaction(AB_TO_O)).isEmpty());
    }
}
