package io.kompactor.commit;

import io.kompactor.merge.MergeResult;
import io.kompactor.merge.MergedFile;
import io.kompactor.plan.CompactedName;
import io.kompactor.plan.CompactionPlan;
import io.kompactor.plan.PlanInput;
import io.kompactor.snapshot.AtomicFiles;
import io.kompactor.snapshot.HostMetadata;
import io.kompactor.snapshot.MetadataCache;
import io.kompactor.snapshot.MetadataDoc;
import io.kompactor.snapshot.ParquetFileEntry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The transactional metadata rewrite (design.md "The commit", format §3.9): journal the intent with backups, move
 * the verified outputs into place, rewrite every document that lists an input, journal COMMITTED, then retire the
 * originals. Anything that fails before COMMITTED is undone from the backups; a crash is undone by {@link #recover}.
 */
public final class Committer {
    /** Far above any counter the server reaches (§3.10): a running server never hands out these ids. */
    public static final long RESERVED_ID_BASE = 1L << 62;
    private static final DateTimeFormatter TX = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS").withZone(ZoneOffset.UTC);

    private final StateDir state;
    private final Journal journal;
    private final RetirePolicy policy;
    private final CommitHook hook;
    private final Clock clock;
    private final ConcurrentMap<String, Object> hostLocks = new ConcurrentHashMap<>();
    private final AtomicLong txCounter = new AtomicLong();
    private final MetadataCache cache = new MetadataCache();

    public Committer(StateDir state, RetirePolicy policy, CommitHook hook, Clock clock) {
        this.state = state;
        this.journal = new Journal(state);
        this.policy = policy;
        this.hook = hook;
        this.clock = clock;
    }

    public Journal journal() {
        return journal;
    }

    public StateDir stateDir() {
        return state;
    }

    public CommitResult commit(MergeResult merge) {
        CompactionPlan plan = merge.plan();
        synchronized (hostLock(plan)) {
            try {
                return commitLocked(merge);
            } catch (IOException e) {
                throw new CommitException(plan.label() + ": commit failed: " + e.getMessage(), e);
            }
        }
    }

    private CommitResult commitLocked(MergeResult merge) throws IOException {
        CompactionPlan plan = merge.plan();
        Path dataDir = plan.dataDir();
        // Re-read: the plan may be stale (another run, or the server wrote new snapshots since planning).
        HostMetadata m = HostMetadata.load(dataDir, plan.host(), cache);
        checkInputsStillListed(m, plan);
        List<ParquetFileEntry> outputs = outputEntries(m, merge);
        Set<Long> inputIds = new HashSet<>();
        plan.inputs().forEach(i -> inputIds.add(i.entry().id()));
        List<MetadataEdit> edits = MetadataEdit.forCommit(m, plan.table(), inputIds, outputs);

        String tx = newTxId();
        List<JournalEntry.DocChange> docs = new ArrayList<>();
        for (MetadataEdit edit : edits) {
            Path rel = dataDir.relativize(edit.before().file());
            Path backup = state.backup(tx).resolve(rel);
            AtomicFiles.copy(edit.before().file(), backup);
            docs.add(new JournalEntry.DocChange(rel.toString(), state.root().relativize(backup).toString(),
                    sha256(Files.readAllBytes(edit.before().file())), sha256(edit.after().bytes())));
        }
        List<JournalEntry.Output> outs = new ArrayList<>();
        for (int i = 0; i < outputs.size(); i++) {
            outs.add(new JournalEntry.Output(merge.outputs().get(i).tmpFile().toString(), outputs.get(i)));
        }
        String now = clock.instant().toString();
        JournalEntry entry = new JournalEntry(tx, TxState.PREPARED, dataDir.toAbsolutePath().toString(), plan.host(),
                plan.table().toString(), plan.windowStart(), policy,
                plan.inputs().stream().map(PlanInput::entry).toList(), outs, docs, now, now);
        journal.write(entry);
        try {
            hook.reached(CommitStep.PREPARED);
            for (int i = 0; i < outputs.size(); i++) {
                AtomicFiles.move(merge.outputs().get(i).tmpFile(), dataDir.resolve(outputs.get(i).path()));
            }
            hook.reached(CommitStep.OUTPUTS_MOVED);
            writeDocs(edits);
            checkCommitted(HostMetadata.load(dataDir, plan.host(), cache), inputIds, outputs);
            entry = entry.withState(TxState.COMMITTED, clock.instant().toString());
            journal.write(entry);
            hook.reached(CommitStep.COMMITTED);
        } catch (IOException | RuntimeException e) {
            undo(entry);
            throw new CommitException(plan.label() + ": commit rolled back: " + e.getMessage(), e);
        }
        finish(entry);
        return new CommitResult(tx, plan, outputs, merge.outputRows(), merge.outputBytes());
    }

    /** Target snapshot first: a crash part-way then shows the data twice at worst, never loses it. */
    private void writeDocs(List<MetadataEdit> edits) throws IOException {
        boolean first = true;
        for (MetadataEdit.Stage stage : MetadataEdit.Stage.values()) {
            for (MetadataEdit edit : edits) {
                if (edit.stage() == stage) {
                    cache.invalidate(edit.after().file());
                    edit.after().write();
                    if (first) {
                        hook.reached(CommitStep.FIRST_DOCUMENT_REWRITTEN);
                        first = false;
                    }
                }
            }
            hook.reached(stage.step());
        }
    }

    private void checkInputsStillListed(HostMetadata m, CompactionPlan plan) {
        Set<ParquetFileEntry> listed = new HashSet<>();
        m.allDocs().forEach(d -> listed.addAll(d.allFiles()));
        for (PlanInput in : plan.inputs()) {
            if (!listed.contains(in.entry())) {
                throw new CommitException(plan.label() + ": plan is stale: " + in.entry().path() + " (id "
                        + in.entry().id() + ") is no longer listed as planned; plan again");
            }
        }
    }

    private List<ParquetFileEntry> outputEntries(HostMetadata m, MergeResult merge) {
        CompactionPlan plan = merge.plan();
        long next = Math.max(RESERVED_ID_BASE, m.maxFileId() + 1);
        List<ParquetFileEntry> out = new ArrayList<>();
        for (MergedFile f : merge.outputs()) {
            long id = next++;
            String path = plan.outputDir() + "/" + CompactedName.format(plan.newestWriteOrder(), id);
            if (Files.exists(plan.dataDir().resolve(path))) {
                throw new CommitException(plan.label() + ": " + path + " already exists; refusing to overwrite");
            }
            // chunk_time is the window start: the compacted file is one partition covering every bucket
            out.add(new ParquetFileEntry(id, path, f.sizeBytes(), f.rowCount(),
                    Math.min(plan.windowStart(), f.minTime()), f.minTime(), f.maxTime()));
        }
        return out;
    }

    /** Reads the metadata back: no document may still list an input, and the outputs must be listed. */
    private static void checkCommitted(HostMetadata after, Set<Long> inputIds, List<ParquetFileEntry> outputs) {
        Set<ParquetFileEntry> listed = new HashSet<>();
        for (MetadataDoc d : after.allDocs()) {
            for (ParquetFileEntry e : d.allFiles()) {
                if (inputIds.contains(e.id())) {
                    throw new CommitException(d.file() + " still lists input " + e.path() + " after the rewrite");
                }
                listed.add(e);
            }
        }
        for (ParquetFileEntry o : outputs) {
            if (!listed.contains(o)) {
                throw new CommitException("no snapshot lists " + o.path() + " after the rewrite");
            }
        }
    }

    /** After COMMITTED: retire originals now (server stopped) or keep them for a live server. */
    private void finish(JournalEntry e) throws IOException {
        if (e.policy() == RetirePolicy.KEEP) {
            journal.write(e.withState(TxState.KEPT, clock.instant().toString()));
            return;
        }
        retireOriginals(e);
    }

    /** Moves a committed transaction's originals under {@code retired/<tx>/}; idempotent. */
    public void retireOriginals(JournalEntry e) throws IOException {
        Path dataDir = Path.of(e.dataDir());
        for (ParquetFileEntry in : e.inputs()) {
            Path src = dataDir.resolve(in.path());
            if (Files.exists(src)) {
                AtomicFiles.move(src, state.retired(e.tx()).resolve(in.path()));
                removeEmptyParents(src.getParent(), 2);
            }
        }
        hook.reached(CommitStep.ORIGINALS_RETIRED);
        journal.write(e.withState(TxState.RETIRED, clock.instant().toString()));
    }

    /** The server's object store drops emptied {@code YYYY-MM-DD/HH-MM} folders too; it recreates them on write. */
    private static void removeEmptyParents(Path dir, int levels) {
        for (int i = 0; i < levels && dir != null; i++, dir = dir.getParent()) {
            try {
                Files.delete(dir);
            } catch (IOException notEmptyOrGone) {
                return;
            }
        }
    }

    /** Rolls back what a PREPARED transaction may have changed: documents from backups, outputs removed. */
    private void undo(JournalEntry e) throws IOException {
        Path dataDir = Path.of(e.dataDir());
        for (JournalEntry.DocChange d : e.docs()) {
            Path file = dataDir.resolve(d.path());
            if (!Files.exists(file) || !sha256(Files.readAllBytes(file)).equals(d.sha256Before())) {
                AtomicFiles.copy(state.root().resolve(d.backup()), file);
            }
        }
        for (JournalEntry.Output o : e.outputs()) {
            Files.deleteIfExists(dataDir.resolve(o.entry().path()));
            Files.deleteIfExists(Path.of(o.tmpFile()));
        }
        journal.write(e.withState(TxState.ROLLED_BACK, clock.instant().toString()));
    }

    /**
     * Finishes or undoes every open transaction; runs before anything else touches the data dir.
     * Returns one line per transaction it acted on.
     */
    public List<String> recover() {
        List<String> done = new ArrayList<>();
        for (JournalEntry e : journal.list()) {
            try {
                if (e.state() == TxState.PREPARED) {
                    undo(e);
                    done.add(e.tx() + ": interrupted before commit, rolled back (" + e.host() + " " + e.table() + ")");
                } else if (e.state() == TxState.COMMITTED) {
                    finish(e);
                    done.add(e.tx() + ": committed, finished (" + e.host() + " " + e.table() + ")");
                }
            } catch (IOException ex) {
                throw new UncheckedIOException(e.tx() + ": recovery failed: " + ex.getMessage(), ex);
            }
        }
        return done;
    }

    /**
     * Undoes a committed transaction from its backups, if no later change touched the same documents.
     * Originals come back from {@code retired/}; the compacted outputs are removed.
     */
    public void rollback(String tx) throws IOException {
        JournalEntry e = journal.read(tx);
        if (e.state() == TxState.ROLLED_BACK) {
            throw new CommitException(tx + " is already rolled back");
        }
        if (e.state() == TxState.PREPARED) {
            undo(e);
            return;
        }
        Path dataDir = Path.of(e.dataDir());
        synchronized (hostLocks.computeIfAbsent(dataDir.toAbsolutePath() + "|" + e.host(), k -> new Object())) {
            for (JournalEntry.DocChange d : e.docs()) {
                Path file = dataDir.resolve(d.path());
                if (!Files.exists(file) || !sha256(Files.readAllBytes(file)).equals(d.sha256After())) {
                    throw new CommitException(tx + ": " + file + " changed after this transaction (a later compaction?);"
                            + " roll back later transactions first (rollback --and-later " + tx + ")");
                }
                if (!Files.exists(state.root().resolve(d.backup()))) {
                    throw new CommitException(tx + ": backup " + state.root().resolve(d.backup()) + " is gone (purged)");
                }
            }
            for (ParquetFileEntry in : e.inputs()) {
                Path original = dataDir.resolve(in.path());
                Path retired = state.retired(tx).resolve(in.path());
                if (!Files.exists(original) && Files.exists(retired)) {
                    AtomicFiles.move(retired, original);
                }
                if (!Files.exists(original)) {
                    throw new CommitException(tx + ": original " + original + " is gone (purged); cannot roll back");
                }
            }
            for (JournalEntry.DocChange d : e.docs()) {
                AtomicFiles.copy(state.root().resolve(d.backup()), dataDir.resolve(d.path()));
            }
            for (JournalEntry.Output o : e.outputs()) {
                Files.deleteIfExists(dataDir.resolve(o.entry().path()));
            }
            journal.write(e.withState(TxState.ROLLED_BACK, clock.instant().toString()));
        }
    }

    private Object hostLock(CompactionPlan plan) {
        return hostLocks.computeIfAbsent(plan.dataDir().toAbsolutePath() + "|" + plan.host(), k -> new Object());
    }

    private String newTxId() {
        return TX.format(clock.instant()) + "-" + ProcessHandle.current().pid() + "-" + txCounter.incrementAndGet();
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
