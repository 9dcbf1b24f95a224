package io.kompactor.engine;

import io.kompactor.commit.CommitResult;
import io.kompactor.commit.Committer;
import io.kompactor.merge.DuckDbMerger;
import io.kompactor.merge.MergeAhead;
import io.kompactor.merge.MergeResult;
import io.kompactor.merge.MergedFile;
import io.kompactor.plan.CompactionPlan;
import io.kompactor.plan.HostPlan;
import io.kompactor.plan.PlanInput;
import io.kompactor.plan.Planner;
import io.kompactor.snapshot.HostMetadata;
import io.kompactor.snapshot.MetadataException;
import io.kompactor.snapshot.ParquetFileEntry;
import io.kompactor.snapshot.TableKey;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The one-shot job: for each host, plan from what a restarted server would load, check each table's inputs, then
 * merge and commit plan by plan. A failure stops only its own table; everything else goes on.
 */
public final class CompactionEngine {
    private final Planner planner;
    private final Supplier<DuckDbMerger> merger;
    private final Committer committer;

    /**
     * {@code merger} is asked for only when there is something to merge, so a run with nothing to do never
     * starts DuckDB; {@code committer} may be null for a dry run, which must not touch anything.
     */
    public CompactionEngine(Planner planner, Supplier<DuckDbMerger> merger, Committer committer) {
        this.planner = planner;
        this.merger = merger;
        this.committer = committer;
    }

    public RunReport run(Path dataDir, List<String> hosts, boolean dryRun, ProgressListener progress) {
        long start = System.nanoTime();
        List<String> problems = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        List<String> recovered = dryRun ? List.of() : committer.recover();
        List<HostPlan> hostPlans = new ArrayList<>();
        for (String host : hosts) {
            try {
                HostMetadata m = HostMetadata.load(dataDir, host);
                m.badSnapshots().forEach(b -> problems.add(b.problem()));
                HostPlan hp = planner.plan(m);
                hp.notes().forEach(n -> notes.add(host + ": " + n));
                hostPlans.add(hp);
            } catch (MetadataException e) {
                problems.add(host + ": " + e.getMessage());
            }
        }
        List<CompactionPlan> all = hostPlans.stream().flatMap(h -> h.plans().stream()).toList();
        List<PlanOutcome> outcomes = new ArrayList<>();
        int index = 0;
        for (Map.Entry<String, List<CompactionPlan>> table : byTable(all).entrySet()) {
            String refused = dryRun ? checkExists(table.getValue()) : checkInputs(table.getValue());
            // The table's next plans merge while this one commits (two at once when they are small).
            try (MergeAhead ahead = refused == null && !dryRun ? merger.get().mergeAhead(table.getValue()) : null) {
                for (CompactionPlan plan : table.getValue()) {
                    PlanOutcome o;
                    if (refused != null) {
                        o = PlanOutcome.failed(plan, refused, 0);
                    } else if (dryRun) {
                        o = PlanOutcome.planned(plan);
                    } else {
                        o = execute(plan, ahead::take);
                    }
                    outcomes.add(o);
                    progress.planFinished(++index, all.size(), o);
                }
            }
        }
        return new RunReport(dryRun, outcomes, problems, notes, recovered, System.nanoTime() - start);
    }

    /** Merge and commit one plan; any failure is reported against the plan and leaves the data dir as it was. */
    public PlanOutcome execute(CompactionPlan plan) {
        return execute(plan, p -> merger.get().merge(p));
    }

    private PlanOutcome execute(CompactionPlan plan, Function<CompactionPlan, MergeResult> merge) {
        long t0 = System.nanoTime();
        try {
            MergeResult merged = merge.apply(plan);
            try {
                CommitResult c = committer.commit(merged);
                return PlanOutcome.committed(plan, c, System.nanoTime() - t0);
            } finally {
                for (MergedFile f : merged.outputs()) {
                    Files.deleteIfExists(f.tmpFile()); // moved into place when committed; left over otherwise
                }
            }
        } catch (RuntimeException | IOException e) {
            return PlanOutcome.failed(plan, e.getMessage(), System.nanoTime() - t0);
        }
    }

    /** Every input of a table is checked before any of its windows is merged: one bad file stops that table only. */
    private String checkInputs(List<CompactionPlan> plans) {
        try {
            merger.get().checkInputs(plans.get(0).dataDir(), inputs(plans));
            return null;
        } catch (RuntimeException e) {
            return "table " + tableOf(plans.get(0)) + " left untouched: " + e.getMessage();
        }
    }

    /** Dry runs must not start DuckDB (it unpacks a native library into the temp dir), so only stat the files. */
    private static String checkExists(List<CompactionPlan> plans) {
        List<String> bad = new ArrayList<>();
        Path dataDir = plans.get(0).dataDir();
        for (ParquetFileEntry e : inputs(plans)) {
            Path p = dataDir.resolve(e.path());
            try {
                if (!Files.isRegularFile(p)) {
                    bad.add(p + ": file not found");
                } else if (Files.size(p) != e.sizeBytes()) {
                    bad.add(p + ": size " + Files.size(p) + " bytes, snapshot says " + e.sizeBytes());
                }
            } catch (IOException ex) {
                bad.add(p + ": " + ex.getMessage());
            }
        }
        return bad.isEmpty() ? null : "table " + tableOf(plans.get(0)) + " would be left untouched: " + String.join("; ", bad);
    }

    private static List<ParquetFileEntry> inputs(List<CompactionPlan> plans) {
        return plans.stream().flatMap(p -> p.inputs().stream()).map(PlanInput::entry).toList();
    }

    private static Map<String, List<CompactionPlan>> byTable(List<CompactionPlan> plans) {
        Map<String, List<CompactionPlan>> m = new LinkedHashMap<>();
        for (CompactionPlan p : plans) {
            m.computeIfAbsent(p.host() + "|" + p.table(), k -> new ArrayList<>()).add(p);
        }
        return m;
    }

    private static String tableOf(CompactionPlan p) {
        TableKey t = p.table();
        return p.host() + " " + t + (p.tableName() == null ? "" : " (" + p.tableName() + ")");
    }
}
