package io.kompactor.cli;

import io.kompactor.commit.CommitResult;
import io.kompactor.engine.PlanOutcome;
import io.kompactor.engine.ProgressListener.Phase;
import io.kompactor.plan.CompactionPlan;
import io.kompactor.plan.PlanInput;
import io.kompactor.snapshot.ParquetFileEntry;
import io.kompactor.snapshot.TableKey;
import io.kompactor.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The progress lines and the Ctrl-C notice, driven by the engine's events and a hand-moved clock (never by timing). */
class LiveProgressTest {
    private static final long S = 1_000_000_000L;

    @TempDir
    Path tmp;

    private static CompactionPlan plan(long window, long rows) {
        ParquetFileEntry e = new ParquetFileEntry(1, "node0/dbs/0/1/2025-01-26/00-00/0000000001.parquet", 1000, rows,
                window, window, window + 1);
        return new CompactionPlan(Path.of("/data"), "node0", new TableKey(0, 1), null, window, window + 3600 * S,
                List.of(new PlanInput(e, 1, false), new PlanInput(e, 2, false)), "node0/dbs/0/1/2025-01-26/00-00", 1 << 30);
    }

    @Test
    void phaseLinesThenATickerLineWithAnEstimateOnceAPlanFinished() {
        AtomicLong clock = new AtomicLong();
        StringWriter sw = new StringWriter();
        LiveProgress p = new LiveProgress(new PrintWriter(sw, true), true, "/data", clock::get);
        CompactionPlan first = plan(0, 1_000_000);
        CompactionPlan second = plan(3600 * S, 4_000_000);

        assertTrue(p.interruptNotice().get(0).startsWith("interrupted while planning"), p.interruptNotice().toString());
        p.runStarted(2);
        p.phase(first, Phase.CHECKING_INPUTS, "checking 4 input files of table node0 0/1");
        p.phase(first, Phase.MERGING, "merging 2 files, 1,000,000 rows, 2.0 KiB");
        assertNull(p.tickLine(), "no line right after a phase line");
        clock.addAndGet(6 * S);
        String tick = p.tickLine();
        assertTrue(tick.startsWith("[1/2] still merging node0 0/1 1970-01-01T00:00:00Z: 6 s so far"), tick);
        assertTrue(!tick.contains("%"), "no estimate before a plan of this run finished: " + tick);
        assertNull(p.tickLine(), "the next one a few seconds later");
        assertTrue(p.interruptNotice().get(1).contains("merged but uncommitted output is discarded"),
                p.interruptNotice().toString());

        p.phase(first, Phase.COMMITTING, "committing 1 file");
        assertTrue(p.interruptNotice().get(0).startsWith("interrupted while committing node0 0/1"), p.interruptNotice()
                .toString());
        assertTrue(p.interruptNotice().get(1).contains("half-made commit is undone")
                && p.interruptNotice().get(1).contains("kompactor recover /data"), p.interruptNotice().toString());
        clock.addAndGet(4 * S); // 10 s for 2,000,000 rows (two inputs): 200,000 rows per second
        p.planFinished(1, 2, new PlanOutcome.Committed(first, new CommitResult("tx1", first, List.of(), 1, 1), 10 * S));
        assertNull(p.tickLine(), "nothing runs between plans");
        assertTrue(p.interruptNotice().get(0).startsWith("interrupted between plans (1 of 2 done); 1 plan committed"),
                p.interruptNotice().toString());

        p.phase(second, Phase.MERGING, "merging 2 files, 4,000,000 rows, 2.0 KiB");
        clock.addAndGet(10 * S); // 8,000,000 rows at that rate take 40 s: a quarter
        String estimate = p.tickLine();
        assertTrue(estimate.startsWith("[2/2] still merging node0 0/1 1970-01-01T01:00:00Z: 10 s so far, about 25% "
                + "(estimated from this run's 200,000 rows per second so far)"), estimate);
        clock.addAndGet(100 * S);
        assertTrue(p.tickLine().contains("about 99%"), "an estimate never claims to be done");

        List<String> printed = sw.toString().lines().toList();
        assertEquals(List.of(
                "[1/2] checking 4 input files of table node0 0/1",
                "[1/2] merging 2 files, 1,000,000 rows, 2.0 KiB - node0 0/1 1970-01-01T00:00:00Z",
                "[1/2] committing 1 file - node0 0/1 1970-01-01T00:00:00Z",
                "[2/2] merging 2 files, 4,000,000 rows, 2.0 KiB - node0 0/1 1970-01-01T01:00:00Z"), printed,
                "phase lines as they happen (tick lines are the ticker thread's)");
    }

    @Test
    void withoutLinesNothingIsPrintedButTheNoticeStillKnowsWhereItStopped() {
        StringWriter sw = new StringWriter();
        LiveProgress p = new LiveProgress(new PrintWriter(sw, true), false, "/data", System::nanoTime);
        p.runStarted(1);
        p.phase(plan(0, 10), Phase.CHECKING_INPUTS, "checking");
        assertEquals("", sw.toString());
        assertTrue(p.interruptNotice().get(1).startsWith("nothing was changed for this table"), p.interruptNotice()
                .toString());
    }

    @Test
    void quietPrintsOnlyTheSummaryAndForcedProgressPrintsThePhases() {
        Path data = Fixtures.copy("core-3.6", tmp.resolve("d"));
        CliRun quiet = CliRun.of("compact", data.toString(), "-q", "--progress");
        assertEquals(0, quiet.exitCode(), quiet::toString);
        assertEquals("", quiet.err(), quiet::toString);
        assertEquals(1, quiet.out().lines().count(), quiet::toString);
        assertTrue(quiet.out().startsWith("compacted 4 plans"), quiet::toString);

        Path again = Fixtures.copy("core-3.6", tmp.resolve("e"));
        CliRun loud = CliRun.of("compact", again.toString(), "--progress", "--window", "12");
        assertEquals(0, loud.exitCode(), loud::toString);
        List<String> phases = loud.err().lines().filter(l -> !l.contains("still ")).toList();
        assertEquals(4 * 3, phases.size(), loud::toString);
        assertTrue(phases.get(0).startsWith("[1/4] checking ") && phases.get(1).startsWith("[1/4] merging ")
                && phases.get(2).startsWith("[1/4] committing 1 file - node0 0/0 "), loud::toString);
    }
}
