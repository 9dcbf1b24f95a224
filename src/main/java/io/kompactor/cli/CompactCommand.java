package io.kompactor.cli;

import io.kompactor.commit.RetirePolicy;
import io.kompactor.commit.ServerProbe;
import io.kompactor.commit.Transactions;
import io.kompactor.commit.Workspace;
import io.kompactor.engine.CompactionEngine;
import io.kompactor.engine.LazyMerger;
import io.kompactor.engine.ProgressListener;
import io.kompactor.engine.RunReport;
import io.kompactor.config.Configuration;
import io.kompactor.merge.LateKeys;
import io.kompactor.parquet.DuckDb;
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

@Command(name = "compact", mixinStandardHelpOptions = true, defaultValueProvider = SettingDefaults.class,
        description = {"Merge each table's small parquet files into one time-sorted file per window and rewrite the "
                + "snapshot metadata to list them instead. The InfluxDB server must be stopped.",
            "Exit codes: 0 all done, 1 some plans failed (the rest were committed), 2 usage or setup error (nothing "
                + "done), 130 Ctrl-C (the notice says what the next command does about it)."})
public final class CompactCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    DataDirOptions data;

    @Option(names = "--window", paramLabel = "<hours>",
            description = "Window in hours, aligned to UTC midnight; divides 24 or is a multiple of it (default: ${DEFAULT-VALUE}).")
    String windowHours;

    @Option(names = "--dry-run", description = "Print the plans and the files each one writes (--target-size splits "
            + "included); change nothing, anywhere.")
    boolean dryRun;

    @Option(names = "--json", description = "Machine-readable output.")
    boolean json;

    @Option(names = "--min-files", paramLabel = "<n>",
            description = "Compact a window only when it has at least this many files (default: ${DEFAULT-VALUE}).")
    String minFiles;

    @Option(names = "--settle", paramLabel = "<duration>",
            description = "Leave windows that ended less than this ago, for late data (default: ${DEFAULT-VALUE}).")
    String settle;

    @Option(names = "--target-size", paramLabel = "<size>",
            description = "Split a window's output into several files past this input size (default: ${DEFAULT-VALUE}).")
    String targetSize;

    @Option(names = "--loaded-snapshots", paramLabel = "<n>",
            description = "How many snapshot files the server loads at start (its gen1 lookback / gen1 duration). "
                    + "Default: the server version's default (1000 before 3.2, 4383 from 3.2).")
    String loadedSnapshots;

    @Option(names = "--include", split = ",", paramLabel = "<tables>",
            description = "Only these tables: db/table names or ids, * as wildcard, a database alone for all its tables.")
    List<String> include;

    @Option(names = "--exclude", split = ",", paramLabel = "<tables>", description = "Never these tables (as --include).")
    List<String> exclude;

    @Option(names = "--policy", paramLabel = "<tables>:<key>=<value>,...",
            description = "Settings for some tables, e.g. 'telemetry/*:window-hours=1,settle=15m' (keys: window-hours, "
                    + "min-files, settle, target-file-size, late.max-share, late.max-files, late.max-wait). Repeatable.")
    List<String> policies;

    @Option(names = "--config", paramLabel = "<file>",
            description = "A properties file with kompactor.* settings (as config/application.properties); flags win.")
    Path config;

    @Option(names = "--keep-originals", description = "Leave the original parquet files in place after the commit.")
    boolean keepOriginals;

    @Option(names = "--memory-limit", paramLabel = "<size>", description = "DuckDB memory limit, e.g. 1GB (default: an eighth of RAM, 256MB to 1GB).")
    String memoryLimit;

    @Option(names = "--threads", paramLabel = "<n>", description = "DuckDB threads (default: all cores).")
    String threads;

    @Option(names = "--progress", hidden = true,
            description = "Print progress lines even when not on a terminal (tests, logs).")
    boolean progress;

    @Override
    public Integer call() throws Exception {
        Configuration settings;
        try {
            // every option is checked before anything is read or written, in a dry run too (exit 2)
            settings = CommandSettings.of(spec, config, policies);
            settings.mergeSettings(Path.of("."));
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        PlannerOptions options = settings.plannerOptions();
        data.lockWait();
        List<String> hosts = data.hosts();
        KompactorCli global = KompactorCli.of(spec);
        ReportPrinter printer = new ReportPrinter(spec.commandLine().getOut(), json, global.verbose(), global.quiet());
        if (dryRun) {
            try (Workspace ws = data.forReading("compact --dry-run")) {
                // the late-data key check reads (never writes) through a small in-memory DuckDB, only when asked
                Planner planner = new Planner(options, Clock.systemUTC(), new LateKeys(() -> {
                    try {
                        return DuckDb.openLight();
                    } catch (java.sql.SQLException e) {
                        throw new IllegalStateException("DuckDB: " + e.getMessage(), e);
                    }
                }));
                RunReport r = new CompactionEngine(planner, () -> {
                    throw new IllegalStateException("dry run must not merge");
                }, null, RetirePolicy.KEEP).run(ws.dataDir(), hosts, true, printer);
                printer.report(r);
                return r.failed() ? ExitCodes.PARTIAL : ExitCodes.OK;
            }
        }
        try (Workspace ws = data.forWriting("compact");
             LazyMerger merger = new LazyMerger(settings.mergeSettings(ws.scratch()));
             LiveProgress live = new LiveProgress(spec.commandLine().getErr(),
                     LiveProgress.linesWanted(global.quiet(), progress), ws.dataDir().toString(), System::nanoTime)
                     .start()) {
            Transactions tx = new Transactions(ws, ServerProbe.NONE);
            Planner planner = new Planner(options, Clock.systemUTC(), merger.lateKeys());
            RunReport r = new CompactionEngine(planner, merger, tx, keepOriginals ? RetirePolicy.KEEP : RetirePolicy.IMMEDIATE)
                    .run(ws.dataDir(), hosts, false, ProgressListener.all(List.of(printer, live)));
            printer.report(r);
            return r.failed() ? ExitCodes.PARTIAL : ExitCodes.OK;
        }
    }
}
