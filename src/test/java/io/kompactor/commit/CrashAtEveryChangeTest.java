package io.kompactor.commit;

import io.kompactor.cli.CliRun;
import io.kompactor.fs.FaultHook;
import io.kompactor.fs.SimulatedCrash;
import io.kompactor.demo.DemoDataDir;
import io.kompactor.demo.DemoSpec;
import io.kompactor.merge.DuckDbMerger;
import io.kompactor.merge.MergeResult;
import io.kompactor.merge.MergeSettings;
import io.kompactor.merge.MergedFile;
import io.kompactor.plan.CompactionPlan;
import io.kompactor.plan.Planner;
import io.kompactor.plan.PlannerOptions;
import io.kompactor.snapshot.HostMetadata;
import io.kompactor.testing.Fixtures;
import io.kompactor.testing.MemoryTempDir;
import io.kompactor.testing.TwoMonths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every writing command stopped dead before each of its file changes in turn (a kill there), then recovered: a server
 * started before recovery never returns fewer rows, and after {@code recover} the data dir holds the state before or
 * after the command, with nothing left over. The merges are done once; each run commits copies of their output, so
 * the sweep exercises the commit protocol itself, hundreds of times, in seconds.
 */
class CrashAtEveryChangeTest {
    private static final String HOST = "node0";

    @TempDir(factory = MemoryTempDir.class)
    Path tmp;

    /**
     * A small Core-like data dir with every kind of metadata file (snapshots, a checkpoint, the table index), late
     * files and upserts: two tables, one window each. Small, so that hundreds of runs stay fast.
     */
    static Path small(Path dir) {
        long start = Instant.parse("2025-01-26T00:00:00Z").toEpochMilli() * 1_000_000L;
        DemoDataDir.write(dir, DemoSpec.defaults(HOST, start).withShape(1, 2, 8, 12).withMetadata(true, true));
        return dir;
    }

    @Test
    void compactImmediate() throws Exception {
        sweepCompact(small(tmp.resolve("base")), RetirePolicy.IMMEDIATE);
    }

    @Test
    void compactKeepingOriginalsWithInputsInTwoMonthsCheckpoints() throws Exception {
        long start = Instant.parse("2025-01-26T00:00:00Z").toEpochMilli() * 1_000_000L;
        Path base = tmp.resolve("base");
        DemoDataDir.write(base, DemoSpec.defaults(HOST, start).withShape(1, 2, 8, 12).withMetadata(false, false));
        sweepCompact(TwoMonths.write(base, HOST), RetirePolicy.KEEP);
    }

    @Test
    void rollbackOfEveryCompaction() throws Exception {
        Path base = small(tmp.resolve("base"));
        Map<String, List<String>> pristine = new Sweep(base, tmp, HOST).listing(base);
        assertEquals(0, CliRun.of("compact", base.toString(), "--hosts", HOST).exitCode());
        Sweep sweep = new Sweep(base, tmp, HOST);
        String first = firstCompaction(base);
        Sweep.Operation rollback = (o, fault) -> {
            try (Workspace ws = Workspace.forWriting(o)) {
                new Transactions(ws, ServerProbe.NONE).rollback(first, true, false);
            }
        };
        // the states between its transactions: newest compaction undone first, then the next
        Path ref = sweep.copy("ref");
        List<Map<String, List<String>>> allowed = new ArrayList<>(List.of(sweep.listing(ref)));
        try (Workspace ws = Workspace.forWriting(options(ref))) {
            Transactions tx = new Transactions(ws, ServerProbe.NONE);
            List<JournalEntry> all = ws.journal().list();
            for (int i = all.size() - 1; i >= 0; i--) {
                tx.rollback(all.get(i).tx(), false, false);
                allowed.add(sweep.listing(ref));
            }
        }
        assertEquals(pristine, allowed.get(allowed.size() - 1), "a rollback of the whole run restores the original listing");
        int n = sweep.crashAtEveryChange("rollback", rollback, CrashAtEveryChangeTest::options, allowed, 9);
        assertTrue(n > 20, "rollback makes " + n + " changes");
    }

    @Test
    void recoverInterruptedInTheMiddleOfACommit() throws Exception {
        Path pristine = small(tmp.resolve("pristine"));
        Map<String, List<String>> start = new Sweep(pristine, tmp, HOST).listing(pristine);
        // a commit killed half way through its removals: the journal holds it PREPARED, files are half edited
        Path base = Fixtures.copyTree(pristine, tmp.resolve("base"));
        List<MergeResult> merges = merge(base, tmp.resolve("merged"));
        int killAt = snapshotWrite(new Sweep(base, tmp, HOST), merges, 3);
        assertThrows(SimulatedCrash.class, () -> commitAll(options(base).withHook(FaultHook.crashAt(killAt)),
                rebase(merges, base), RetirePolicy.IMMEDIATE));
        Sweep sweep = new Sweep(base, tmp, HOST);
        Sweep.Operation recover = (o, fault) -> {
            try (Workspace ws = Workspace.forWriting(o)) {
                assertTrue(new Transactions(ws, ServerProbe.NONE).recover().ok());
            }
        };
        int n = sweep.crashAtEveryChange("recover", recover, CrashAtEveryChangeTest::options, List.of(start), 5);
        assertTrue(n >= 3, "recovery makes " + n + " changes");
    }

    @Test
    void gcRetiringAndPurging() throws Exception {
        Path base = small(tmp.resolve("base"));
        int originals = (int) io.kompactor.testing.DataDirAssertions.parquetFileCount(base, HOST);
        assertEquals(0, CliRun.of("compact", base.toString(), "--hosts", HOST, "--keep-originals").exitCode());
        Sweep sweep = new Sweep(base, tmp, HOST);
        Instant later = Instant.now().plus(Duration.ofDays(1));
        Sweep.Operation gc = (o, fault) -> {
            try (Workspace ws = Workspace.forWriting(o)) {
                Retirement r = new Retirement(new Transactions(ws, ServerProbe.NONE));
                Retirement.Report rep = r.retire(List.of(HOST), new Retirement.Evidence(Optional.empty(), null, later));
                assertEquals(originals, rep.files(), rep.toString());
                r.purge(Duration.ofDays(-2));
            }
        };
        int n = sweep.crashAtEveryChange("gc", gc, CrashAtEveryChangeTest::options, List.of(sweep.listing(base)), 7);
        assertTrue(n > originals, "gc makes " + n + " changes");
    }

    @Test
    void fullDiskDuringACommitAndAgainDuringItsUndo() throws Exception {
        Path base = small(tmp.resolve("base"));
        List<MergeResult> merges = merge(base, tmp.resolve("merged"));
        Sweep sweep = new Sweep(base, tmp, HOST);
        Map<String, List<String>> start = sweep.listing(base);
        int changes = countChanges(tmp, base, merges);
        for (int n = 1; n <= changes / 2; n += 3) {
            // ENOSPC at change n: the commit undoes itself, the data dir is as before, nothing is left open
            Path d = sweep.copy("enospc-" + n);
            Workspace.Options o = options(d).withHook(FaultHook.failAt(java.util.Set.of(n)));
            try {
                commitAll(o, rebase(merges, d), RetirePolicy.IMMEDIATE);
            } catch (RuntimeException expected) {
                assertTrue(!(expected instanceof CommitStateUnknownException), "undo failed at " + n + ": " + expected);
                assertEquals(start, sweep.listing(d), "ENOSPC at change " + n + " changed the listing");
                Sweep.assertNothingLeft(d, options(d), "ENOSPC at change " + n);
            }
            Sweep.deleteTree(d);
        }
        // ENOSPC in the commit (at its third snapshot rewrite, a removal), then again in its undo: kept PREPARED, the
        // host blocked, and recovery later undoes it
        int n = snapshotWrite(sweep, merges, 3);
        for (int m = n + 1; m <= n + 6; m++) {
            // the disk stays full from change m on: the undo fails, and so does every later attempt
            int first = n;
            int from = m;
            FaultHook.Counting full = FaultHook.failAt(java.util.stream.IntStream.rangeClosed(from, from + 10_000)
                    .boxed().collect(java.util.stream.Collectors.toSet()));
            Path d = sweep.copy("twice-" + m);
            List<MergeResult> mine = rebase(merges, d);
            FaultHook hook = (op, path) -> full.before(op, path);
            FaultHook.Counting once = FaultHook.failAt(java.util.Set.of(first));
            Workspace.Options o = options(d).withHook((op, path) -> {
                once.before(op, path);
                hook.before(op, path);
            });
            try (Workspace ws = Workspace.forWriting(o)) {
                Transactions tx = new Transactions(ws, ServerProbe.NONE);
                CommitException e = assertThrows(CommitException.class, () -> tx.commit(mine.get(0), RetirePolicy.IMMEDIATE),
                        "ENOSPC at change " + first + " and from " + from);
                if (e instanceof CommitStateUnknownException) {
                    CommitException blocked = assertThrows(CommitException.class,
                            () -> tx.commit(mine.get(1), RetirePolicy.IMMEDIATE));
                    assertTrue(blocked instanceof CommitStateUnknownException && blocked.getMessage().contains("recover"),
                            "no further commit on a host whose undo failed: " + blocked);
                    // (with the disk still full not even the reason can be journaled)
                    assertTrue(ws.journal().list().stream().anyMatch(j -> j.state() == TxState.PREPARED),
                            "the failed transaction stays PREPARED");
                }
            } catch (SetupException ignored) {
                // the disk was full before the lock file could be written: nothing started
            }
            sweep.server().assertNoMissingFile(d, HOST, "after a failed undo at " + m);
            assertEquals(sweep.rows(), sweep.server().rows(d, HOST), "rows after a failed undo at " + m);
            Sweep.recover(d, options(d), "after ENOSPC at " + n + " and from " + m);
            assertEquals(start, sweep.listing(d), "recovery after ENOSPC at " + n + " and from " + m);
            Sweep.assertNothingLeft(d, options(d), "recovery after ENOSPC twice");
            Sweep.deleteTree(d);
        }
    }

    @Test
    void deadLetterRetryThroughTheCli() throws Exception {
        Path base = small(tmp.resolve("base"));
        // a dead letter for table 0/1 (its window failed in `run` once), retried from the command line
        CompactionPlan plan = new Planner(new PlannerOptions(24, 2, Duration.ZERO, PlannerOptions.DEFAULT_TARGET_FILE_BYTES,
                0), Clock.systemUTC()).plan(HostMetadata.load(base, HOST)).plans().stream()
                .filter(p -> p.table().tableId() == 1).findFirst().orElseThrow();
        io.kompactor.deadletter.DeadLetterStore store = new io.kompactor.deadletter.DeadLetterStore(StateDir.defaultFor(base));
        String id = store.newId(Instant.now(), HOST, plan);
        store.write(io.kompactor.deadletter.DeadLetter.of(id, Instant.now(), base.toString(), HOST, plan,
                new RuntimeException("earlier failure"), 1, "plan-host"));
        Sweep sweep = new Sweep(base, tmp, HOST);
        Path ref = sweep.copy("ref");
        CliRun ok = CliRun.of("dead-letters", "retry", ref.toString(), id);
        assertEquals(0, ok.exitCode(), ok::toString);
        List<Map<String, List<String>>> allowed = List.of(sweep.listing(base), sweep.listing(ref));
        int n = sweep.crashAtEveryChange("retry", (o, fault) -> {
            CliRun r = CliRun.of("dead-letters", "retry", o.dataDir().toString(), id, "--fault", fault);
            assertEquals(0, r.exitCode(), r::toString);
        }, CrashAtEveryChangeTest::options, allowed, 4);
        assertTrue(n > 10, "retry makes " + n + " changes");
    }

    // ---------------------------------------------------------------------------------------------------------------

    private void sweepCompact(Path base, RetirePolicy policy) throws Exception {
        List<MergeResult> merges = merge(base, tmp.resolve("merged"));
        Sweep sweep = new Sweep(base, tmp, HOST);
        // the states between its transactions: before, then after each plan's commit
        List<Map<String, List<String>>> allowed = new ArrayList<>(List.of(sweep.listing(base)));
        for (int k = 1; k <= merges.size(); k++) {
            Path ref = sweep.copy("ref-" + k);
            commitAll(options(ref), rebase(merges.subList(0, k), ref), policy);
            allowed.add(sweep.listing(ref));
            assertEquals(sweep.rows(), sweep.server().rows(ref, HOST));
        }
        assertTrue(!allowed.get(0).equals(allowed.get(allowed.size() - 1)), "the compaction changed the listing");
        int n = sweep.crashAtEveryChange("compact", (o, fault) -> commitAll(o, rebase(merges, o.dataDir()), policy),
                CrashAtEveryChangeTest::options, allowed, 11);
        assertTrue(n > 20, "compact makes " + n + " changes");
    }

    /** What {@code compact} does around its merges: recover, reconcile, then one transaction per plan. */
    private static void commitAll(Workspace.Options o, List<MergeResult> merges, RetirePolicy policy) {
        try (Workspace ws = Workspace.forWriting(o)) {
            Transactions tx = new Transactions(ws, ServerProbe.NONE);
            tx.recover();
            tx.reconcile(HOST);
            for (MergeResult m : merges) {
                tx.commit(m, policy);
            }
        }
    }

    private static int countChanges(Path tmp, Path base, List<MergeResult> merges) {
        Path d = Fixtures.copyTree(base, tmp.resolve("count"));
        FaultHook.Counting counter = FaultHook.counting();
        commitAll(options(d).withHook(counter), rebase(merges, d), RetirePolicy.IMMEDIATE);
        Sweep.deleteTree(d);
        return counter.count();
    }

    /** The number (1-based) of the {@code k}-th rewrite of a snapshot in the data dir during {@link #commitAll}. */
    private int snapshotWrite(Sweep sweep, List<MergeResult> merges, int k) {
        List<String> changes = new ArrayList<>();
        Path probe = sweep.copy("probe-" + k);
        commitAll(options(probe).withHook((op, path) -> changes.add(op + " " + path)), rebase(merges, probe),
                RetirePolicy.IMMEDIATE);
        for (int i = 0, writes = 0; i < changes.size(); i++) {
            if (changes.get(i).startsWith("WRITE " + probe.resolve(HOST).resolve("snapshots")) && ++writes == k) {
                return i + 1;
            }
        }
        throw new AssertionError("fewer than " + k + " snapshot rewrites among " + changes);
    }

    static Workspace.Options options(Path dataDir) {
        return Workspace.Options.of(dataDir, null, "test").withLockWait(Duration.ZERO);
    }

    /** Plans and merges once (default options, everything settled); outputs kept in {@code into}. */
    static List<MergeResult> merge(Path dataDir, Path into) throws Exception {
        Files.createDirectories(into);
        List<CompactionPlan> plans = new Planner(new PlannerOptions(24, 2, Duration.ZERO,
                PlannerOptions.DEFAULT_TARGET_FILE_BYTES, 0), Clock.systemUTC()).plan(HostMetadata.load(dataDir, HOST)).plans();
        List<MergeResult> out = new ArrayList<>();
        try (DuckDbMerger merger = new DuckDbMerger(MergeSettings.defaults(into).withThreads(2))) {
            for (CompactionPlan p : plans) {
                out.add(merger.merge(p));
            }
        }
        return out;
    }

    /** The same merge results with their output copied beside {@code dataDir}, for one run to consume. */
    static List<MergeResult> rebase(List<MergeResult> merges, Path dataDir) {
        Path dir = dataDir.resolveSibling(dataDir.getFileName() + "-merged");
        List<MergeResult> out = new ArrayList<>();
        try {
            Files.createDirectories(dir);
            for (MergeResult m : merges) {
                List<MergedFile> files = new ArrayList<>();
                for (MergedFile f : m.outputs()) {
                    Path copy = dir.resolve(f.tmpFile().getFileName());
                    Files.copy(f.tmpFile(), copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    files.add(new MergedFile(copy, f.rowCount(), f.sizeBytes(), f.minTime(), f.maxTime()));
                }
                out.add(new MergeResult(m.plan(), files, m.inputRows(), m.outputRows(), m.durationNanos()));
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out;
    }

    private static String firstCompaction(Path dataDir) {
        try (Workspace ws = Workspace.forReading(options(dataDir))) {
            return ws.journal().list().stream().filter(e -> e.kind() == TxKind.COMPACT).findFirst().orElseThrow().tx();
        }
    }
}
