package io.kompactor.cli;

import io.kompactor.commit.RetirePolicy;
import io.kompactor.commit.ServerProbe;
import io.kompactor.commit.Transactions;
import io.kompactor.commit.Workspace;
import io.kompactor.engine.CompactionEngine;
import io.kompactor.engine.LazyMerger;
import io.kompactor.engine.ProgressListener;
import io.kompactor.engine.RunReport;
import io.kompactor.merge.MergeSettings;
import io.kompactor.plan.Planner;
import io.kompactor.plan.PlannerOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "compact", mixinStandardHelpOptions = true,
        description = {"Merge each table's small parquet files into one time-sorted file per window and rewrite the "
                + "snapshot metadata to list them instead. The InfluxDB server must be stopped.",
            "Exit codes: 0 all done, 1 some plans failed (the rest were committed), 2 usage or setup error (nothing "
                + "done), 130 Ctrl-C (the notice says what the next command does about it)."})
public final class CompactCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    DataDirOptions data;

    @Option(names = "--window", paramLabel = "<hours>", defaultValue = "24",
            description = "Window in hours, aligned to UTC midnight; divides 24 or is a multiple of it (default: ${DEFAULT-VALUE}).")
    int windowHours;

    @Option(names = "--dry-run", description = "Print the plans and the files each one writes (--target-size splits "
            + "included); change nothing, anywhere.")
    boolean dryRun;

    @Option(names = "--json", description = "Machine-readable output.")
    boolean json;

    @Option(names = "--min-files", paramLabel = "<n>", defaultValue = "2",
            description = "Compact a window only when it has at least this many files (default: ${DEFAULT-VALUE}).")
    int minFiles;

    @Option(names = "--settle", paramLabel = "<duration>", defaultValue = "1h",
            description = "Leave windows that ended less than this ago, for late data (default: ${DEFAULT-VALUE}).")
    String settle;

    @Option(names = "--target-size", paramLabel = "<size>", defaultValue = "1GiB",
            description = "Split a window's output into several files past this input size (default: ${DEFAULT-VALUE}).")
    String targetSize;

    @Option(names = "--loaded-snapshots", paramLabel = "<n>", defaultValue = "0",
            description = "How many snapshot files the server loads at start (its gen1 lookback / gen1 duration). "
                    + "Default: the server version's default (1000 before 3.2, 4383 from 3.2).")
    int loadedSnapshots;

    @Option(names = "--keep-originals", description = "Leave the original parquet files in place after the commit.")
    boolean keepOriginals;

    @Option(names = "--memory-limit", paramLabel = "<size>", description = "DuckDB memory limit, e.g. 1GB (default: an eighth of RAM, 256MB to 1GB).")
    String memoryLimit;

    @Option(names = "--threads", paramLabel = "<n>", description = "DuckDB threads (default: all cores).")
    Integer threads;

    @Option(names = "--progress", hidden = true,
            description = "Print progress lines even when not on a terminal (tests, logs).")
    boolean progress;

    @Override
    public Integer call() throws Exception {
        // every option is checked before anything is read or written, in a dry run too (exit 2)
        PlannerOptions options;
        try {
            options = new PlannerOptions(windowHours, minFiles, OptionValues.duration("--settle", settle),
                    OptionValues.size("--target-size", targetSize), loadedSnapshots);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        mergeSettings(Path.of("."));
        data.lockWait();
        List<String> hosts = data.hosts();
        Planner planner = new Planner(options, Clock.systemUTC());
        KompactorCli global = KompactorCli.of(spec);
        ReportPrinter printer = new ReportPrinter(spec.commandLine().getOut(), json, global.verbose(), global.quiet());
        if (dryRun) {
            try (Workspace ws = data.forReading("compact --dry-run")) {
                RunReport r = new CompactionEngine(planner, () -> {
                    throw new IllegalStateException("dry run must not merge");
                }, null, RetirePolicy.KEEP).run(ws.dataDir(), hosts, true, printer);
                printer.report(r);
                return r.failed() ? ExitCodes.PARTIAL : ExitCodes.OK;
            }
        }
        try (Workspace ws = data.forWriting("compact");
             LazyMerger merger = new LazyMerger(mergeSettings(ws.scratch()));
             LiveProgress live = new LiveProgress(spec.commandLine().getErr(),
                     LiveProgress.linesWanted(global.quiet(), progress), ws.dataDir().toString(), System::nanoTime)
                     .start()) {
            Transactions tx = new Transactions(ws, ServerProbe.NONE);
            RunReport r = new CompactionEngine(planner, merger, tx, keepOriginals ? RetirePolicy.KEEP : RetirePolicy.IMMEDIATE)
                    .run(ws.dataDir(), hosts, false, ProgressListener.all(List.of(printer, live)));
            printer.report(r);
            return r.failed() ? ExitCodes.PARTIAL : ExitCodes.OK;
        }
    }

    /** Checked before anything is written: a bad --memory-limit fails here, not in every plan (exit 2). */
    private MergeSettings mergeSettings(Path scratch) {
        MergeSettings s = MergeSettings.defaults(scratch);
        try {
            if (memoryLimit != null) {
                s = s.withMemoryLimit(memoryLimit);
            }
        } catch (IllegalArgumentException e) {
            throw new UsageException("--memory-limit: " + e.getMessage().replaceFirst("^memory limit: ", ""));
        }
        if (threads != null && threads < 1) {
            throw new UsageException("--threads: must be at least 1, got " + threads);
        }
        return threads == null ? s : s.withThreads(threads);
    }
}
