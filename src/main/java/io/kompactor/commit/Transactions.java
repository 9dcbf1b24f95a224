package io.kompactor.commit;

import io.kompactor.fs.FileOps;
import io.kompactor.merge.MergeResult;
import io.kompactor.merge.MergedFile;
import io.kompactor.plan.CompactionPlan;
import io.kompactor.plan.PlanInput;
import io.kompactor.snapshot.HostMetadata;
import io.kompactor.snapshot.MetadataCache;
import io.kompactor.snapshot.MetadataDoc;
import io.kompactor.snapshot.MetadataException;
import io.kompactor.snapshot.ParquetFileEntry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one owner of every change to a data dir (docs/commit-protocol.md): compaction commits, rollbacks,
 * reconciliation of metadata the server wrote later, retirement, purges and recovery all run here, each as a
 * journaled transaction under the data dir's lock, with intent and backups first, so that a crash at any point is
 * finished or undone by {@link #recover()}. Like Iceberg's commit manager it tells "failed, cleaned up"
 * ({@link CommitException}: the data dir is as before) from "state unknown, keep everything"
 * ({@link CommitStateUnknownException}: the host is blocked until recovery succeeds).
 */
public final class Transactions {
    /** Far above any counter the server reaches (docs/format.md, "File ids"): a running server never hands out these ids. */
    public static final long RESERVED_ID_BASE = 1L << 62;
    private static final DateTimeFormatter TX = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS").withZone(ZoneOffset.UTC);

    private final Workspace ws;
    private final ServerProbe probe;
    private final TxExecutor exec;
    private final MetadataCache cache = new MetadataCache();
    private final AtomicLong counter = new AtomicLong();

    public Transactions(Workspace ws, ServerProbe probe) {
        this.ws = ws;
        this.probe = probe == null ? ServerProbe.NONE : probe;
        this.exec = new TxExecutor(ws);
    }

    public Workspace workspace() {
        return ws;
    }

    public Journal journal() {
        return ws.journal();
    }

    public MetadataCache metadataCache() {
        return cache;
    }

    // ---------------------------------------------------------------------------------------------- compaction

    /** Commits one merged plan. */
    public CommitResult commit(MergeResult merge, RetirePolicy policy) {
        return commit(List.of(merge), policy).get(0);
    }

    /**
     * Commits merged plans of one host as one transaction: their outputs replace their inputs in every metadata file.
     * On {@link CommitException} the data dir is as before and the merged files may be deleted; on
     * {@link CommitStateUnknownException} they belong to the journal.
     */
    public List<CommitResult> commit(List<MergeResult> merges, RetirePolicy policy) {
        String host = merges.get(0).plan().host();
        for (MergeResult m : merges) {
            if (!m.plan().host().equals(host)) {
                throw new IllegalArgumentException("one transaction commits plans of one host");
            }
        }
        try (Workspace.DataDirLock lock = ws.lock("commit " + host)) {
            recoverHost(host);
            return commitLocked(host, merges, policy);
        }
    }

    private List<CommitResult> commitLocked(String host, List<MergeResult> merges, RetirePolicy policy) {
        HostMetadata m = load(host);
        Set<ParquetFileEntry> listed = new HashSet<>();
        m.allDocs().forEach(d -> listed.addAll(d.allFiles()));
        for (MergeResult r : merges) {
            for (PlanInput in : r.plan().inputs()) {
                if (!listed.contains(in.entry())) {
                    throw new StaleException(r.plan().label() + ": plan is stale: " + in.entry().path() + " (id "
                            + in.entry().id() + ") is no longer listed as planned; plan again");
                }
            }
        }
        long next = Math.max(RESERVED_ID_BASE, Math.max(m.maxFileId(), maxJournaledId()) + 1);
        List<Group> groups = new ArrayList<>();
        List<FileMove> moves = new ArrayList<>();
        List<Path> tmpFiles = new ArrayList<>();
        String tx = newTxId();
        for (MergeResult r : merges) {
            CompactionPlan plan = r.plan();
            List<ParquetFileEntry> outputs = new ArrayList<>();
            for (MergedFile f : r.outputs()) {
                long id = next++;
                String path = plan.outputDir() + "/" + plan.outputName(id);
                if (Files.exists(ws.resolve(path))) {
                    throw new CommitException(plan.label() + ": " + path + " already exists; refusing to overwrite it");
                }
                // a compacted file is one partition covering its window (chunk_time = the window start); a late-data
                // file keeps its earliest input's (docs/operations.md, "Late data")
                outputs.add(new ParquetFileEntry(id, path, f.sizeBytes(), f.rowCount(),
                        Math.min(plan.outputChunkTime(), f.minTime()), f.minTime(), f.maxTime()));
                moves.add(new FileMove(FileMove.Root.STATE, "staged/" + tx + "/" + moves.size() + ".parquet",
                        FileMove.Root.DATA, path, true));
                tmpFiles.add(f.tmpFile());
            }
            groups.add(new Group(plan.table().dbId(), plan.table().tableId(), plan.windowStart(), plan.windowEnd(),
                    plan.inputs().stream().map(PlanInput::entry).toList(), outputs));
        }
        JournalEntry entry;
        try {
            List<DocChange> docs = exec.prepare(tx, Placement.forCommit(m, groups));
            entry = new JournalEntry(JournalEntry.VERSION, tx, TxKind.COMPACT, TxState.PREPARED, ws.dataDirId(), host,
                    now(), now(), policy, null, groups, docs, moves, null, null);
            ws.journal().write(entry);
        } catch (IOException e) {
            cleanUnjournaled(tx);
            throw new CommitException(host + ": cannot prepare the commit: " + FileOps.describe(e), e);
        } catch (RuntimeException e) {
            cleanUnjournaled(tx);
            throw e;
        }
        try {
            // A compacted file's mtime is this commit's time on the workspace clock: the planner measures how long a
            // late-data file has waited from its mtime, with that same clock (docs/operations.md, "Late data"), which
            // may be another than the file system's (a simulated one in the continuous benchmark and tests).
            FileTime committedAt = FileTime.from(ws.clock().instant());
            for (int i = 0; i < tmpFiles.size(); i++) {
                Files.setLastModifiedTime(tmpFiles.get(i), committedAt);
                ws.files().move(tmpFiles.get(i), ws.state().root().resolve(moves.get(i).from()), false);
            }
            exec.apply(entry);
            checkCompacted(load(host), groups);
            entry = entry.withState(TxState.COMMITTED, now()).withUnlisted(unlistedNow(), now());
            ws.journal().write(entry);
        } catch (IOException | RuntimeException e) {
            throw undoFailed(entry, groups, e);
        }
        finishCompaction(entry);
        List<CommitResult> out = new ArrayList<>();
        for (int i = 0; i < merges.size(); i++) {
            MergeResult r = merges.get(i);
            out.add(new CommitResult(tx, r.plan(), groups.get(i).outputs(), r.outputRows(), r.outputBytes()));
        }
        return out;
    }

    /** The largest id any journaled output ever had: a rolled-back output may still sit in the data dir. */
    private long maxJournaledId() {
        long max = -1;
        for (JournalEntry e : ws.journal().list()) {
            for (ParquetFileEntry o : e.outputs()) {
                max = Math.max(max, o.id());
            }
        }
        return max;
    }

    /** Reads the metadata back: no file may still list an input, and every output must be listed. */
    private static void checkCompacted(HostMetadata after, List<Group> groups) {
        Set<Long> inputs = new HashSet<>();
        groups.forEach(g -> inputs.addAll(Placement.ids(g.inputs())));
        Set<ParquetFileEntry> listed = new HashSet<>();
        for (MetadataDoc d : after.allDocs()) {
            for (ParquetFileEntry e : d.allFiles()) {
                if (inputs.contains(e.id())) {
                    throw new CommitException(d.file() + " still lists input " + e.path() + " after the rewrite");
                }
                listed.add(e);
            }
        }
        for (Group g : groups) {
            for (ParquetFileEntry o : g.outputs()) {
                if (!listed.contains(o)) {
                    throw new CommitException("no metadata file lists " + o.path() + " after the rewrite");
                }
            }
        }
    }

    /** After COMMITTED: originals retired now (the server is stopped) or kept for a live server. */
    private JournalEntry finishCompaction(JournalEntry e) {
        try {
            if (e.policy() == RetirePolicy.KEEP) {
                JournalEntry kept = e.withState(TxState.KEPT, now());
                ws.journal().write(kept);
                return kept;
            }
            HostMetadata m = load(e.host());
            Set<String> listed = listedPaths(m);
            for (ParquetFileEntry in : e.inputs()) {
                Path src = ws.resolve(in.path());
                if (Files.exists(src) && !listed.contains(in.path())) {
                    ws.files().move(src, ws.state().retired(e.tx()).resolve(in.path()), false);
                    ws.files().removeEmptyDirs(src.getParent(), 2);
                }
            }
            JournalEntry retired = e.withState(TxState.RETIRED, now());
            ws.journal().write(retired);
            return retired;
        } catch (IOException | RuntimeException ex) {
            // committed all the same; the originals stay in place until recovery finishes this
            JournalEntry noted = e.withProblem("retiring originals failed: " + message(ex), now());
            try {
                ws.journal().write(noted);
            } catch (IOException | RuntimeException ignored) {
                // it stays COMMITTED either way, and recovery retries
            }
            return noted;
        }
    }

    // ---------------------------------------------------------------------------------------------- rollback

    /** What a rollback did: one line per transaction undone (or found already undone). */
    public record RollbackReport(List<String> lines) {
    }

    /**
     * Undoes committed compaction {@code tx}: its inputs go back wherever its outputs are listed (also in files the
     * server wrote after it), originals come back from {@code retired/}. With {@code andLater}, every later compaction
     * is undone first, newest first. The outputs are retired at once, or kept for the retirement rules with
     * {@code keepOutputs} (a live server that restarted since the commit reads them).
     */
    public RollbackReport rollback(String tx, boolean andLater, boolean keepOutputs) {
        List<String> lines = new ArrayList<>();
        if (!ws.journal().exists(tx)) {
            throw new SetupException("no transaction " + tx + " in " + ws.state().journal()
                    + " (`kompactor rollback <data-dir>` lists them)");
        }
        try (Workspace.DataDirLock lock = ws.lock("rollback " + tx)) {
            JournalEntry target = ws.journal().read(tx);
            if (target.kind() != TxKind.COMPACT) {
                throw new SetupException(tx + " is a " + target.kind() + " transaction; only compactions can be rolled back");
            }
            recoverHost(target.host());
            target = ws.journal().read(tx);
            if (target.state() == TxState.ROLLED_BACK) {
                lines.add(tx + ": already rolled back, nothing to do");
                return new RollbackReport(lines);
            }
            List<JournalEntry> later = laterCompactions(target);
            if (!later.isEmpty() && !andLater) {
                List<String> consumers = consumersOf(target, later);
                if (!consumers.isEmpty()) {
                    throw new CommitException(tx + ": later " + (consumers.size() == 1 ? "transaction " : "transactions ")
                            + String.join(", ", consumers)
                            + " compacted its outputs again; roll them back first (rollback " + tx + " --and-later)");
                }
            }
            if (andLater) {
                for (JournalEntry l : later) {
                    lines.add(rollbackLocked(l, keepOutputs));
                }
            }
            lines.add(rollbackLocked(ws.journal().read(tx), keepOutputs));
        }
        return new RollbackReport(lines);
    }

    /** Later compactions of the same host still in effect, newest first. */
    private List<JournalEntry> laterCompactions(JournalEntry target) {
        return ws.journal().list().stream()
                .filter(e -> e.kind() == TxKind.COMPACT && e.tx().compareTo(target.tx()) > 0)
                .filter(e -> target.host().equals(e.host()))
                .filter(e -> e.state() != TxState.ROLLED_BACK && e.state() != TxState.PREPARED)
                .sorted(Comparator.comparing(JournalEntry::tx).reversed())
                .toList();
    }

    private static List<String> consumersOf(JournalEntry target, List<JournalEntry> later) {
        Set<Long> out = Placement.ids(target.outputs());
        List<String> consumers = new ArrayList<>();
        for (JournalEntry l : later) {
            if (l.inputs().stream().anyMatch(i -> out.contains(i.id()))) {
                consumers.add(l.tx());
            }
        }
        return consumers;
    }

    private String rollbackLocked(JournalEntry target, boolean keepOutputs) {
        String host = target.host();
        for (ParquetFileEntry in : target.inputs()) {
            Path original = ws.resolve(in.path());
            if (!Files.exists(original) && !Files.exists(ws.state().retired(target.tx()).resolve(in.path()))) {
                throw new CommitException(target.tx() + ": original " + in.path() + " is gone (purged); cannot roll back");
            }
        }
        HostMetadata m = load(host);
        Set<Long> listedIds = new HashSet<>();
        m.allDocs().forEach(d -> listedIds.addAll(d.ids()));
        for (ParquetFileEntry o : target.outputs()) {
            if (!listedIds.contains(o.id())) {
                throw new CommitException(target.tx() + ": no metadata file lists its output " + o.path()
                        + " any more (a later transaction or the server's retention removed it); nothing to roll back");
            }
        }
        Map<String, List<ParquetFileEntry>> earlier = new HashMap<>();
        for (JournalEntry e : relatedDocs(target)) {
            for (DocChange d : e.docs()) {
                earlier.computeIfAbsent(d.path(), k -> new ArrayList<>()).addAll(d.removedEntries());
            }
        }
        String tx = newTxId();
        List<FileMove> moves = new ArrayList<>();
        for (ParquetFileEntry in : target.inputs()) {
            if (!Files.exists(ws.resolve(in.path()))) {
                moves.add(new FileMove(FileMove.Root.STATE, ws.state().root().relativize(
                        ws.state().retired(target.tx()).resolve(in.path())).toString(), FileMove.Root.DATA, in.path(), false));
            }
        }
        JournalEntry entry;
        try {
            Map<String, DocChange> restorable = new HashMap<>();
            target.docs().forEach(d -> restorable.put(d.path(), d));
            List<DocChange> docs = exec.prepare(tx, Placement.forRollback(m, target, earlier, ws.dataDir()), restorable);
            // the policy says what becomes of the outputs, so that recovery finishes the rollback as it was asked
            entry = new JournalEntry(JournalEntry.VERSION, tx, TxKind.ROLLBACK, TxState.PREPARED, ws.dataDirId(), host,
                    now(), now(), keepOutputs ? RetirePolicy.KEEP : RetirePolicy.IMMEDIATE, target.tx(), target.groups(),
                    docs, moves, null, null);
            ws.journal().write(entry);
        } catch (IOException e) {
            cleanUnjournaled(tx);
            throw new CommitException(target.tx() + ": cannot prepare the rollback: " + FileOps.describe(e), e);
        } catch (RuntimeException e) {
            cleanUnjournaled(tx);
            throw e;
        }
        List<Group> reversed = reversed(target.groups());
        try {
            exec.apply(entry);
            checkCompacted(load(host), reversed);
            entry = entry.withState(TxState.COMMITTED, now());
            ws.journal().write(entry);
        } catch (IOException | RuntimeException e) {
            throw undoFailed(entry, reversed, e);
        }
        finishRollback(entry, !keepOutputs);
        return target.tx() + ": rolled back (" + plural(target.inputs().size(), "original") + " listed again, "
                + plural(target.outputs().size(), "compacted file") + " " + (keepOutputs ? "kept until no reader needs them"
                : "moved under " + ws.state().retired(tx)) + ")";
    }

    /** The subject becomes ROLLED_BACK; its outputs are now what must wait for readers (or go at once). */
    private void finishRollback(JournalEntry rollback, boolean retireOutputsNow) {
        try {
            JournalEntry subject = ws.journal().read(rollback.subject());
            if (retireOutputsNow) {
                Set<String> listed = listedPaths(load(rollback.host()));
                for (ParquetFileEntry o : subject.outputs()) {
                    Path p = ws.resolve(o.path());
                    if (Files.exists(p) && !listed.contains(o.path())) {
                        ws.files().move(p, ws.state().retired(rollback.tx()).resolve(o.path()), false);
                        ws.files().removeEmptyDirs(p.getParent(), 2);
                    }
                }
            }
            ws.journal().write(subject.withState(TxState.ROLLED_BACK, now()).withUnlisted(unlistedNow(), now()));
            ws.journal().write(rollback.withState(TxState.DONE, now()));
        } catch (IOException | RuntimeException e) {
            throw new CommitStateUnknownException(rollback.subject() + ": rolled back, but finishing failed ("
                    + message(e) + "); `kompactor recover` finishes it", e);
        }
    }

    /** The subject and the reconciliations of it: every file any of them removed entries from. */
    private List<JournalEntry> relatedDocs(JournalEntry subject) {
        List<JournalEntry> out = new ArrayList<>();
        out.add(subject);
        for (JournalEntry e : ws.journal().list()) {
            if (e.kind() == TxKind.RECONCILE && subject.tx().equals(e.subject()) && e.state() == TxState.DONE) {
                out.add(e);
            }
        }
        return out;
    }

    private static List<Group> reversed(List<Group> groups) {
        return groups.stream().map(g -> new Group(g.dbId(), g.tableId(), g.windowStart(), g.windowEnd(), g.outputs(),
                g.inputs())).toList();
    }

    // ---------------------------------------------------------------------------------------------- reconcile

    /**
     * Edits metadata that lists inputs of committed compactions again — a checkpoint or table index the server wrote
     * from what it loaded before the commit — as the commit would have: inputs out, outputs where the commit put them.
     * One transaction per compaction touched. Returns one line per reconciliation.
     */
    public List<String> reconcile(String host) {
        try (Workspace.DataDirLock lock = ws.lock("reconcile " + host)) {
            recoverHost(host);
            return reconcileLocked(host);
        }
    }

    /** As {@link #reconcile}, for a caller that holds the lock. */
    List<String> reconcileLocked(String host) {
        List<JournalEntry> live = ws.journal().list().stream()
                .filter(e -> e.kind() == TxKind.COMPACT && host.equals(e.host()))
                .filter(e -> e.state() == TxState.KEPT || e.state() == TxState.RETIRED || e.state() == TxState.COMMITTED)
                .toList();
        if (live.isEmpty()) {
            return List.of();
        }
        Map<Long, JournalEntry> byInput = new HashMap<>();
        for (JournalEntry e : live) {
            e.inputs().forEach(i -> byInput.put(i.id(), e));
        }
        List<String> lines = new ArrayList<>();
        // Newest first: a later compaction may have merged an earlier one's outputs again (late data); putting its
        // outputs in first means a file is at worst listed twice in between, never missing.
        for (int pass = 0; pass <= live.size(); pass++) {
            HostMetadata m = load(host);
            JournalEntry newest = null;
            for (MetadataDoc d : m.allDocs()) {
                for (ParquetFileEntry f : d.allFiles()) {
                    JournalEntry e = byInput.get(f.id());
                    if (e != null && (newest == null || e.tx().compareTo(newest.tx()) > 0)) {
                        newest = e;
                    }
                }
            }
            if (newest == null) {
                break;
            }
            lines.add(reconcileOne(m, newest));
        }
        return lines;
    }

    private String reconcileOne(HostMetadata m, JournalEntry subject) {
        List<Placement.Edit> edits = Placement.forReconcile(m, subject);
        String tx = newTxId();
        JournalEntry entry;
        try {
            List<DocChange> docs = exec.prepare(tx, edits);
            entry = new JournalEntry(JournalEntry.VERSION, tx, TxKind.RECONCILE, TxState.PREPARED, ws.dataDirId(),
                    subject.host(), now(), now(), null, subject.tx(), subject.groups(), docs, List.of(), null, null);
            ws.journal().write(entry);
        } catch (IOException e) {
            cleanUnjournaled(tx);
            throw new CommitException(subject.host() + ": cannot prepare reconciliation of " + subject.tx() + ": "
                    + FileOps.describe(e), e);
        } catch (RuntimeException e) {
            cleanUnjournaled(tx);
            throw e;
        }
        try {
            exec.apply(entry);
            checkCompacted(load(subject.host()), subject.groups().stream()
                    .map(g -> new Group(g.dbId(), g.tableId(), g.windowStart(), g.windowEnd(), g.inputs(), List.of()))
                    .toList());
            entry = entry.withState(TxState.COMMITTED, now());
            ws.journal().write(entry);
        } catch (IOException | RuntimeException e) {
            throw undoFailed(entry, subject.groups(), e);
        }
        finishReconcile(entry);
        List<String> files = entry.docs().stream().map(DocChange::path).toList();
        return subject.tx() + ": reconciled " + String.join(", ", files) + " (inputs listed again by the server's own "
                + "write replaced by the compacted files)";
    }

    private void finishReconcile(JournalEntry entry) {
        try {
            JournalEntry subject = ws.journal().read(entry.subject());
            ws.journal().write(subject.withUnlisted(unlistedNow(), now()));
            ws.journal().write(entry.withState(TxState.DONE, now()));
        } catch (IOException e) {
            throw new CommitStateUnknownException(entry.tx() + ": reconciled, but the journal could not be updated ("
                    + FileOps.describe(e) + "); `kompactor recover` finishes it", e);
        }
    }

    // ---------------------------------------------------------------------------------------------- recovery

    /** What recovery did: one line per transaction, and the hosts it could not bring back (blocked). */
    public record RecoveryReport(List<String> lines, List<String> blocked, List<String> cleaned) {
        public boolean ok() {
            return blocked.isEmpty();
        }
    }

    /**
     * Finishes or undoes every interrupted transaction, then removes what failed attempts left behind (merge scratch
     * of dead processes, staged files and backups no journal entry needs). Runs before anything else writes.
     */
    public RecoveryReport recover() {
        try (Workspace.DataDirLock lock = ws.lock("recover")) {
            return recoverLocked(null);
        }
    }

    /** Recovery of one host's open transactions; refuses (host blocked) when one cannot be brought back. */
    private void recoverHost(String host) {
        RecoveryReport r = recoverLocked(host);
        if (!r.ok()) {
            throw new CommitStateUnknownException(String.join("; ", r.blocked()), null);
        }
    }

    private RecoveryReport recoverLocked(String onlyHost) {
        List<String> lines = new ArrayList<>();
        List<String> blocked = new ArrayList<>();
        for (JournalEntry e : ws.journal().list()) {
            if (!e.state().open() || onlyHost != null && !onlyHost.equals(e.host())) {
                continue;
            }
            try {
                lines.add(resolve(e));
            } catch (RuntimeException ex) {
                if (e.state() == TxState.COMMITTED) {
                    // committed: the data dir is consistent; only follow-up work (retiring originals) waits
                    lines.add(e.tx() + ": committed, but finishing it failed (" + message(ex) + "); tried again later");
                    continue;
                }
                String msg = e.tx() + " (" + e.kind() + " on " + e.host() + "): cannot finish or undo: " + message(ex)
                        + ". Host " + e.host() + " takes no further commits until `kompactor recover "
                        + ws.dataDir() + "` succeeds";
                blocked.add(msg);
                try {
                    ws.journal().write(ws.journal().read(e.tx()).withProblem(message(ex), now()));
                } catch (IOException | RuntimeException ignored) {
                    // the journal keeps the transaction open either way
                }
            }
        }
        List<String> cleaned = onlyHost == null && blocked.isEmpty() ? cleanUp() : List.of();
        return new RecoveryReport(lines, blocked, cleaned);
    }

    private String resolve(JournalEntry e) {
        if (e.state() == TxState.PREPARED) {
            return switch (e.kind()) {
                case COMPACT, RECONCILE -> {
                    undo(e, e.groups());
                    yield e.tx() + ": " + e.kind().name().toLowerCase() + " interrupted before commit, rolled back ("
                            + e.host() + " " + e.tables() + ")";
                }
                case ROLLBACK -> {
                    undo(e, reversed(e.groups()));
                    yield e.tx() + ": rollback of " + e.subject() + " interrupted, undone (" + e.subject()
                            + " stays committed; run rollback again)";
                }
                case RETIRE -> {
                    finishRetire(e);
                    yield e.tx() + ": retirement interrupted, finished";
                }
                case PURGE -> {
                    finishPurge(e);
                    yield e.tx() + ": purge interrupted, finished";
                }
            };
        }
        return switch (e.kind()) {
            case COMPACT -> {
                JournalEntry done = finishCompaction(e);
                if (done.state().open()) {
                    throw new CommitException(done.problem());
                }
                yield e.tx() + ": committed, finished (" + e.host() + " " + e.tables() + ")";
            }
            case ROLLBACK -> {
                finishRollback(e, e.policy() == RetirePolicy.IMMEDIATE);
                yield e.tx() + ": rollback of " + e.subject() + " committed, finished";
            }
            case RECONCILE -> {
                finishReconcile(e);
                yield e.tx() + ": reconciliation of " + e.subject() + " committed, finished";
            }
            case RETIRE -> {
                finishRetire(e);
                yield e.tx() + ": retirement finished";
            }
            case PURGE -> {
                finishPurge(e);
                yield e.tx() + ": purge finished";
            }
        };
    }

    private void undo(JournalEntry e, List<Group> asApplied) {
        try {
            exec.undo(e, HostMetadata.load(ws.dataDir(), e.host()), asApplied);
            ws.journal().write(e.withState(TxState.ROLLED_BACK, now()));
        } catch (IOException ex) {
            throw new CommitException(FileOps.describe(ex), ex);
        }
    }

    /** A failed transaction: undo it; if the undo fails too, keep it PREPARED with the reason and block the host. */
    private CommitException undoFailed(JournalEntry entry, List<Group> asApplied, Exception cause) {
        String why = message(cause);
        try {
            undo(entry, asApplied);
        } catch (RuntimeException undoError) {
            try {
                ws.journal().write(entry.withProblem(why + "; undo failed: " + message(undoError), now()));
            } catch (IOException | RuntimeException ignored) {
                // the entry stays PREPARED in the journal either way
            }
            return new CommitStateUnknownException(entry.host() + ": " + entry.kind().name().toLowerCase() + " "
                    + entry.tx() + " failed (" + why + ") and so did its undo (" + message(undoError) + "); host "
                    + entry.host() + " takes no further commits until `kompactor recover " + ws.dataDir()
                    + "` succeeds", undoError);
        }
        if (cause instanceof StaleException s) {
            return new StaleException(s.getMessage());
        }
        return new CommitException(entry.host() + ": " + entry.kind().name().toLowerCase() + " rolled back: " + why, cause);
    }

    /** A transaction that failed before its journal entry was written leaves only backups: remove them. */
    private void cleanUnjournaled(String tx) {
        try {
            ws.files().deleteTree(ws.state().backup(tx));
        } catch (IOException e) {
            // recovery's clean-up removes backups no journal entry lists
        }
    }

    /** Scratch of dead processes, staged files and backups of transactions that no longer need them. */
    private List<String> cleanUp() {
        List<String> out = new ArrayList<>();
        Set<String> known = new HashSet<>();
        Set<String> open = new HashSet<>();
        for (JournalEntry e : ws.journal().list()) {
            known.add(e.tx());
            if (e.state().open()) {
                open.add(e.tx());
            }
        }
        try {
            for (Path p : children(ws.state().tmp())) {
                String n = p.getFileName().toString();
                if (n.startsWith("run-") && io.kompactor.fs.FileLocks.isHeld(p.resolve("lock"))) {
                    continue; // a live process's merge in progress
                }
                ws.files().deleteTree(p);
                out.add("removed scratch " + p);
            }
            for (Path p : children(ws.state().stagedRoot())) {
                if (!open.contains(p.getFileName().toString())) {
                    ws.files().deleteTree(p);
                    out.add("removed staged files " + p);
                }
            }
            for (Path p : children(ws.state().backupRoot())) {
                if (!known.contains(p.getFileName().toString())) {
                    ws.files().deleteTree(p);
                    out.add("removed backups of an attempt that never started " + p);
                }
            }
        } catch (IOException e) {
            out.add("clean-up incomplete: " + FileOps.describe(e));
        }
        return out;
    }

    private static List<Path> children(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (var s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    // ---------------------------------------------------------------------------------------------- retire, purge

    /**
     * Moves files out of the data dir under {@code retired/<source tx>/} as one resumable transaction: intent first,
     * then each file, re-checking under the lock that no metadata lists it. {@code files} maps each source
     * transaction to the object paths to retire. Returns the retirement entry, or null when nothing was to do.
     */
    JournalEntry retireLocked(String host, Map<String, List<String>> files) throws IOException {
        List<FileMove> moves = new ArrayList<>();
        files.forEach((src, paths) -> paths.forEach(p -> moves.add(new FileMove(FileMove.Root.DATA, p,
                FileMove.Root.STATE, ws.state().root().relativize(ws.state().retired(src).resolve(p)).toString(), false))));
        if (moves.isEmpty()) {
            return null;
        }
        String tx = newTxId();
        JournalEntry entry = new JournalEntry(JournalEntry.VERSION, tx, TxKind.RETIRE, TxState.PREPARED,
                ws.dataDirId(), host, now(), now(), null, String.join(",", files.keySet()), List.of(), List.of(), moves,
                null, null);
        ws.journal().write(entry);
        finishRetire(entry);
        return entry;
    }

    /** Retirement only ever moves unlisted files, so an interrupted one is finished, not undone. */
    private void finishRetire(JournalEntry e) {
        try {
            Set<String> listed = e.host() == null ? Set.of() : listedPaths(load(e.host()));
            for (FileMove m : e.moves()) {
                Path from = exec.place(m.fromRoot(), m.from());
                Path to = exec.place(m.toRoot(), m.to());
                if (listed.contains(m.from())) {
                    continue; // listed again since it was chosen: it stays
                }
                if (Files.exists(from)) {
                    ws.files().move(from, to, false);
                    ws.files().removeEmptyDirs(from.getParent(), 2);
                }
            }
            for (String src : e.subject() == null ? List.<String>of() : List.of(e.subject().split(","))) {
                JournalEntry s = ws.journal().exists(src) ? ws.journal().read(src) : null;
                if (s != null && s.kind() == TxKind.COMPACT && s.state() == TxState.KEPT && allGone(s.inputs())) {
                    ws.journal().write(s.withState(TxState.RETIRED, now()));
                }
            }
            ws.journal().write(e.withState(TxState.DONE, now()));
        } catch (IOException ex) {
            throw new CommitException(e.tx() + ": retirement failed: " + FileOps.describe(ex), ex);
        }
    }

    private boolean allGone(List<ParquetFileEntry> files) {
        return files.stream().noneMatch(f -> Files.exists(ws.resolve(f.path())));
    }

    /**
     * Deletes {@code retired/<tx>/} and {@code backup/<tx>/} of the given finished transactions, as one resumable
     * transaction. Returns the purge entry, or null when nothing was to do.
     */
    JournalEntry purgeLocked(List<String> txs) throws IOException {
        List<FileMove> dirs = new ArrayList<>();
        for (String t : txs) {
            for (Path p : List.of(ws.state().retired(t), ws.state().backup(t))) {
                if (Files.exists(p)) {
                    dirs.add(new FileMove(FileMove.Root.STATE, ws.state().root().relativize(p).toString(),
                            FileMove.Root.STATE, "", false));
                }
            }
        }
        if (dirs.isEmpty()) {
            return null;
        }
        JournalEntry entry = new JournalEntry(JournalEntry.VERSION, newTxId(), TxKind.PURGE, TxState.PREPARED,
                ws.dataDirId(), null, now(), now(), null, String.join(",", txs), List.of(), List.of(), dirs, null, null);
        ws.journal().write(entry);
        finishPurge(entry);
        return entry;
    }

    private void finishPurge(JournalEntry e) {
        try {
            for (FileMove m : e.moves()) {
                ws.files().deleteTree(ws.state().root().resolve(m.from()).normalize());
            }
            ws.journal().write(e.withState(TxState.DONE, now()));
        } catch (IOException ex) {
            throw new CommitException(e.tx() + ": purge failed: " + FileOps.describe(ex), ex);
        }
    }

    // ---------------------------------------------------------------------------------------------- helpers

    HostMetadata load(String host) {
        try {
            return HostMetadata.load(ws.dataDir(), host, cache);
        } catch (MetadataException e) {
            throw new CommitException(e.getMessage(), e);
        }
    }

    /** Object paths every metadata file of the host lists. */
    static Set<String> listedPaths(HostMetadata m) {
        Set<String> s = new HashSet<>();
        m.allDocs().forEach(d -> d.allFiles().forEach(f -> s.add(f.path())));
        return s;
    }

    Unlisted unlistedNow() {
        return new Unlisted(now(), probe.processId().orElse(null));
    }

    ServerProbe probe() {
        return probe;
    }

    String now() {
        return ws.clock().instant().toString();
    }

    String newTxId() {
        return TX.format(ws.clock().instant()) + "-" + ProcessHandle.current().pid() + "-" + counter.incrementAndGet();
    }

    /** "1 file", "2 files" (engine.Units.count, which this package cannot import). */
    static String plural(long n, String noun) {
        return n + " " + (n == 1 ? noun : noun + "s");
    }

    static String message(Throwable t) {
        if (t instanceof IOException io) {
            return FileOps.describe(io);
        }
        return t.getMessage() != null ? t.getMessage() : t.toString();
    }
}
