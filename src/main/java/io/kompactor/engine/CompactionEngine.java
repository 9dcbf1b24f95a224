package io.kompactor.engine;

import io.kompactor.config.Units;
import io.kompactor.commit.CommitResult;
import io.kompactor.commit.CommitStateUnknownException;
import io.kompactor.commit.RetirePolicy;
import io.kompactor.commit.Transactions;
import io.kompactor.merge.DuckDbMerger;
import io.kompactor.merge.MergeAhead;
import io.kompactor.merge.MergeResult;
import io.kompactor.merge.MergedFile;
import io.kompactor.plan.CompactionPlan;
import io.kompactor.plan.HostPlan;
import io.kompactor.plan.PlanInput;
import io.kompactor.plan.Planner;
import io.kompactor.snapshot.CatalogNames;
import io.kompactor.snapshot.HostMetadata;
import io.kompactor.snapshot.MetadataException;
import io.kompactor.snapshot.ParquetFileEntry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The one driver of plan → merge → commit (docs/architecture.md): the one-shot {@code compact}, the benchmark and
 * {@code dead-letters retry} all run plans through {@link #execute}; the daemon's routes call the same merger and
 * transactions step by step. For each host it first recovers and reconciles, then plans from what a restarted server
 * would load, checks each table's inputs, and merges and commits plan by plan. A failure stops only its own table; a
 * host whose metadata cannot be read, or whose undo failed, stops only that host.
 */
public final class CompactionEngine {
    private final Planner planner;
    private final Supplier<DuckDbMerger> merger;
    private final Transactions transactions;
    private final RetirePolicy policy;

    /**
     * {@code merger} is asked for only when there is something to merge, so a run with nothing to do never starts
     * DuckDB; {@code transactions} is null for a dry run, which must not touch anything.
     */
    public CompactionEngine(Planner planner, Supplier<DuckDbMerger> merger, Transactions transactions,
                            RetirePolicy policy) {
        this.planner = planner;
        this.merger = merger;
        this.transactions = transactions;
        this.policy = policy;
    }

    public RunReport run(Path dataDir, List<String> hosts, boolean dryRun, ProgressListener progress) {
        long start = System.nanoTime();
        List<String> problems = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        List<String> recovered = new ArrayList<>();
        if (!dryRun) {
            Transactions.RecoveryReport r = transactions.recover();
            recovered.addAll(r.lines());
            problems.addAll(r.blocked());
        }
        List<HostPlan> hostPlans = new ArrayList<>();
        for (String host : hosts) {
            try {
                if (!dryRun) {
                    recovered.addAll(transactions.reconcile(host));
                }
                HostMetadata m = HostMetadata.load(dataDir, host);
                HostPlan hp = planner.plan(m, CatalogNames.lookup(CatalogNames.read(dataDir, host)));
                hp.notes().forEach(n -> notes.add(host + ": " + n));
                hostPlans.add(hp);
            } catch (MetadataException e) {
                problems.add(host + ": left untouched: " + e.getMessage());
            } catch (RuntimeException e) {
                problems.add(host + ": " + e.getMessage());
            }
        }
        List<CompactionPlan> all = hostPlans.stream().flatMap(h -> h.plans().stream()).toList();
        progress.runStarted(all.size());
        List<PlanOutcome> outcomes = new ArrayList<>();
        try (OutputPrediction prediction = new OutputPrediction()) {
            runPlans(all, dryRun, prediction, progress, outcomes);
            if (prediction.filesRead() > 0) {
                notes.add("to predict the --target-size splits, read the time column of "
                        + Units.count(prediction.filesRead(), "input file") + " in an in-memory DuckDB (nothing written)");
            }
        }
        return new RunReport(dryRun, outcomes, problems, notes, recovered, System.nanoTime() - start);
    }

    /** Table by table: every input checked first, then plan by plan; a dry run only predicts each plan's outputs. */
    private void runPlans(List<CompactionPlan> all, boolean dryRun, OutputPrediction prediction,
                          ProgressListener progress, List<PlanOutcome> outcomes) {
        Set<String> blockedHosts = new HashSet<>();
        int index = 0;
        for (List<CompactionPlan> table : byTable(all).values()) {
            RuntimeException refused = dryRun ? checkExists(table) : checkInputs(table, progress);
            // The table's next plans merge while this one commits (two at once when they are small); close()
            // deletes the outputs of merges nobody took, e.g. after the host was blocked.
            try (MergeAhead ahead = refused == null && !dryRun ? merger.get().mergeAhead(table) : null) {
                for (CompactionPlan plan : table) {
                    PlanOutcome o;
                    if (blockedHosts.contains(plan.host())) {
                        o = new PlanOutcome.Failed(plan, new CommitStateUnknownException(plan.host()
                                + " is blocked by an unfinished transaction (see above); not committed", null), 0);
                    } else if (refused != null) {
                        o = new PlanOutcome.Failed(plan, refused, 0);
                    } else if (dryRun) {
                        o = predict(plan, prediction);
                    } else {
                        o = execute(plan, progress, ahead::take);
                        if (o instanceof PlanOutcome.Failed f && f.error() instanceof CommitStateUnknownException) {
                            blockedHosts.add(plan.host());
                        }
                    }
                    outcomes.add(o);
                    progress.planFinished(++index, all.size(), o);
                }
            }
        }
    }

    /** A dry run's plan with the files its merge would write; a plan whose inputs cannot be read fails alone. */
    private static PlanOutcome predict(CompactionPlan plan, OutputPrediction prediction) {
        try {
            return new PlanOutcome.Planned(plan, prediction.outputs(plan));
        } catch (RuntimeException e) {
            return new PlanOutcome.Failed(plan, e, 0);
        }
    }

    /** Merge and commit one plan; any failure is reported against the plan and leaves the data dir as it was. */
    public PlanOutcome execute(CompactionPlan plan, ProgressListener progress) {
        return execute(plan, progress, p -> merger.get().merge(p));
    }

    private PlanOutcome execute(CompactionPlan plan, ProgressListener progress,
                                Function<CompactionPlan, MergeResult> merge) {
        long t0 = System.nanoTime();
        MergeResult merged = null;
        try {
            // with the merge-ahead, the merge may be done already: this phase then only waits for it
            progress.phase(plan, ProgressListener.Phase.MERGING, "merging " + Units.count(plan.inputs().size(), "file")
                    + ", " + Units.count(plan.inputRows(), "row") + ", " + Units.bytes(plan.inputBytes()));
            merged = merge.apply(plan);
            progress.phase(plan, ProgressListener.Phase.COMMITTING, "committing " + Units.count(merged.outputs().size(), "file"));
            CommitResult c = transactions.commit(merged, policy);
            return new PlanOutcome.Committed(plan, c, System.nanoTime() - t0);
        } catch (RuntimeException e) {
            return new PlanOutcome.Failed(plan, e, System.nanoTime() - t0);
        } finally {
            if (merged != null) {
                deleteLeftovers(merged); // moved away when committed; the journal owns what it staged
            }
        }
    }

    private static void deleteLeftovers(MergeResult merged) {
        for (MergedFile f : merged.outputs()) {
            try {
                Files.deleteIfExists(f.tmpFile());
            } catch (IOException e) {
                // a leftover in this process's scratch dir goes with it
            }
        }
    }

    /** Every input of a table is checked before any of its windows is merged: one bad file stops that table only. */
    private RuntimeException checkInputs(List<CompactionPlan> plans, ProgressListener progress) {
        try {
            progress.phase(plans.get(0), ProgressListener.Phase.CHECKING_INPUTS,
                    "checking " + Units.count(inputs(plans).size(), "input file") + " of table " + tableOf(plans.get(0)));
            merger.get().checkInputs(plans.get(0).dataDir(), inputs(plans));
            return null;
        } catch (RuntimeException e) {
            return new TableRefusedException("table " + tableOf(plans.get(0)) + " left untouched: " + e.getMessage(), e);
        }
    }

    /** Dry runs must not start DuckDB (it unpacks a native library into the temp dir), so only stat the files. */
    private static RuntimeException checkExists(List<CompactionPlan> plans) {
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
                bad.add(p + ": " + io.kompactor.fs.FileOps.describe(ex));
            }
        }
        return bad.isEmpty() ? null : new TableRefusedException("table " + tableOf(plans.get(0))
                + " would be left untouched: " + String.join("; ", bad), null);
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
        return p.host() + " " + p.table() + (p.tableName() == null ? "" : " (" + p.tableName() + ")");
    }

    /** A table whose inputs failed their checks: none of its windows is merged. */
    public static final class TableRefusedException extends RuntimeException {
        TableRefusedException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
