package io.kompactor.engine;

import io.kompactor.config.Units;
import io.kompactor.commit.RetirePolicy;
import io.kompactor.commit.ServerProbe;
import io.kompactor.commit.Transactions;
import io.kompactor.commit.Workspace;
import io.kompactor.merge.MergeSettings;
import io.kompactor.plan.CompactionPlan;
import io.kompactor.plan.Planner;
import io.kompactor.plan.PlannerOptions;
import io.kompactor.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The engine tells its listener what it does, in order: the CLI's progress lines are built from these events. */
class ProgressEventsTest {
    @TempDir
    Path tmp;

    @Test
    void everyPlanGoesThroughItsPhasesInOrder() throws Exception {
        Path data = Fixtures.copy("core-3.6", tmp.resolve("d"));
        List<String> events = new ArrayList<>();
        ProgressListener recorder = new ProgressListener() {
            @Override
            public void runStarted(int plans) {
                events.add("start " + plans);
            }

            @Override
            public void phase(CompactionPlan plan, Phase phase, String detail) {
                events.add(phase + " " + plan.table() + (phase == Phase.CHECKING_INPUTS ? "" : " " + plan.windowStart())
                        + " | " + detail);
            }

            @Override
            public void planFinished(int index, int total, PlanOutcome o) {
                events.add("finished " + index + "/" + total + " " + o.getClass().getSimpleName() + " "
                        + o.plan().table() + " " + o.plan().windowStart());
            }
        };
        RunReport r;
        try (Workspace ws = Workspace.forWriting(Workspace.Options.of(data, null, "test"));
             LazyMerger merger = new LazyMerger(MergeSettings.defaults(ws.scratch()).withThreads(2))) {
            PlannerOptions hourly = new PlannerOptions(12, 2, java.time.Duration.ZERO,
                    PlannerOptions.DEFAULT_TARGET_FILE_BYTES, 0);
            r = new CompactionEngine(new Planner(hourly, Clock.systemUTC()), merger,
                    new Transactions(ws, ServerProbe.NONE), RetirePolicy.KEEP)
                    .run(data, List.of("node0"), false, recorder);
        }
        assertEquals(4, r.count(PlanOutcome.Committed.class), r::toString);

        // 4 tables, one 12-hour window each: start, then per table the check, then per plan merge, commit, finish
        assertEquals("start 4", events.get(0));
        List<String> expected = new ArrayList<>(List.of("start 4"));
        int index = 0;
        for (PlanOutcome o : r.outcomes()) {
            CompactionPlan p = o.plan();
            String at = p.table() + " " + p.windowStart();
            expected.add("CHECKING_INPUTS " + p.table() + " | checking " + Units.count(p.inputs().size(), "input file")
                    + " of table node0 " + p.table());
            expected.add("MERGING " + at + " | merging " + Units.count(p.inputs().size(), "file") + ", "
                    + Units.count(p.inputRows(), "row") + ", " + Units.bytes(p.inputBytes()));
            expected.add("COMMITTING " + at + " | committing 1 file");
            expected.add("finished " + (++index) + "/4 Committed " + at);
        }
        assertEquals(expected, events);
        assertTrue(events.stream().noneMatch(e -> e.contains("(s)")));
    }
}
