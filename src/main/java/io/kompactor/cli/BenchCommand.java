package io.kompactor.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kompactor.bench.Bench;
import io.kompactor.snapshot.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Generate a Core-like data dir in a temp dir and measure, in one run: the floor (one sorted "
                + "DuckDB COPY of all inputs, no de-duplication; also sorted by time only and not sorted, to show the "
                + "sort's share), Kompactor end to end (plan, merge with "
                + "de-duplication, verification, commit), the cost of de-duplication, peak memory, and planning over "
                + "the metadata of 100,000 files in 10,000 snapshots. Prints a table; --out writes JSON.",
            "Each phase runs in a fresh JVM with Kompactor's default settings, so peak RSS is per phase.",
            "--continuous: the daemon (`run`, real routes, own JVM) beside a simulated server writing for --days of "
                    + "simulated time with late files; reports write amplification, CPU per GB, files per settled "
                    + "window, settle-to-compacted delay, peak RSS and whether a restarted server returns what was written.",
            "--idle: the daemon at rest on --snapshots snapshot files with nothing to compact: CPU of start-up and "
                    + "catch-up, idle CPU and RSS.",
            "Exit codes: 0 done (targets met or not), 2 usage or setup error."})
public final class BenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--rows", paramLabel = "<n>", defaultValue = "20000000",
            description = "Rows over all input files, before de-duplication (default: ${DEFAULT-VALUE}).")
    long rows;

    @Option(names = "--files", paramLabel = "<n>", defaultValue = "200",
            description = "Input parquet files, a tenth of them late files (default: ${DEFAULT-VALUE}).")
    int files;

    @Option(names = "--tables", paramLabel = "<n>", defaultValue = "1",
            description = "Tables the rows and files are spread over (default: ${DEFAULT-VALUE}).")
    int tables;

    @Option(names = "--duplicates", paramLabel = "<pct>", defaultValue = "1",
            description = "Percent of all rows that are late upserts of an existing (tags, time) key (default: ${DEFAULT-VALUE}).")
    double duplicates;

    @Option(names = "--window", paramLabel = "<hours>", defaultValue = "24",
            description = "Window size of the merge and end-to-end phases, as compact --window; 1 gives 24 plans a day "
                    + "(default: ${DEFAULT-VALUE}). The floor is always one sorted COPY of all inputs.")
    int window;

    @Option(names = "--out", paramLabel = "<file>", description = "Write the results as JSON to this file.")
    Path out;

    @Option(names = "--work-dir", paramLabel = "<dir>",
            description = "Where to generate the data (default: a new temp dir, deleted afterwards). Needs about 5x the input size free.")
    Path workDir;

    @Option(names = "--keep", description = "Keep the work dir: the generated data (the data dir as the end-to-end phase "
            + "compacted it, and its no-overlap twin), each phase's log and result; --continuous and --idle: the data "
            + "dir, the server's ledger and the daemon's log.")
    boolean keep;

    @Option(names = "--in-process", description = "Run every phase in this JVM (peak RSS reset between phases via "
            + "/proc/self/clear_refs; memory a phase leaves behind still counts toward the next).")
    boolean inProcess;

    @Option(names = "--plan-snapshots", paramLabel = "<n>", defaultValue = "10000", hidden = true,
            description = "Snapshots of the planning metadata (default: ${DEFAULT-VALUE}).")
    int planSnapshots;

    @Option(names = "--plan-files-per-snapshot", paramLabel = "<n>", defaultValue = "10", hidden = true,
            description = "Files per snapshot of the planning metadata (default: ${DEFAULT-VALUE}).")
    int planFilesPerSnapshot;

    @Option(names = "--continuous", description = "Benchmark the daemon beside a simulated live server instead (see above).")
    boolean continuous;

    @Option(names = "--days", paramLabel = "<n>", defaultValue = "3",
            description = "--continuous: simulated days of writes that are measured (fractions too, e.g. 0.25); the run goes on until their "
                    + "windows are done (default: ${DEFAULT-VALUE}).")
    double days;

    @Option(names = "--max-late", paramLabel = "<duration>", defaultValue = "12h",
            description = "--continuous: the latest a late file arrives after its own 10 minutes, e.g. 12h, 90m "
                    + "(default: ${DEFAULT-VALUE}; the earliest is 10 min).")
    String maxLate;

    @Option(names = "--rows-per-day", paramLabel = "<n>", defaultValue = "500000",
            description = "--continuous: on-time rows per simulated day (default: ${DEFAULT-VALUE}).")
    long rowsPerDay;

    @Option(names = "--late-share", paramLabel = "<f>", defaultValue = "0.15",
            description = "--continuous: late files over all files, each 10 min to 12 h late, a tenth of them "
                    + "repeating existing keys (default: ${DEFAULT-VALUE}).")
    double lateShare;

    @Option(names = {"-D", "--set"}, paramLabel = "key=value",
            description = "--continuous: a daemon setting, as `run -D` (e.g. kompactor.late.max-wait=24h). Repeatable.")
    java.util.Map<String, String> settings;

    @Option(names = "--idle", description = "Benchmark the daemon at rest instead (see above).")
    boolean idle;

    @Option(names = "--snapshots", paramLabel = "<n>", defaultValue = "50000",
            description = "--idle: snapshot files of the data dir (default: ${DEFAULT-VALUE}, about a year).")
    int snapshots;

    @Option(names = "--idle-seconds", paramLabel = "<s>", defaultValue = "60",
            description = "--idle: how long the idle CPU is measured (default: ${DEFAULT-VALUE}).")
    int idleSeconds;

    /** Runs the command on its own, before or without registration in {@link KompactorCli}. */
    public static void main(String[] args) {
        picocli.CommandLine cli = new picocli.CommandLine(new BenchCommand());
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            commandLine.getErr().println("error: " + (ex.getMessage() != null ? ex.getMessage() : ex.toString()));
            return ExitCodes.USAGE;
        });
        System.exit(cli.execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (continuous && idle) {
            throw new UsageException("--continuous and --idle are separate benchmarks: give one");
        }
        if (continuous || idle) {
            return daemonBench();
        }
        if (rows < 1 || files < 2 * Math.max(1, tables) || tables < 1 || rows < 100L * files) {
            throw new UsageException("need --tables >= 1, --files >= 2 per table and --rows >= 100 per file");
        }
        if (duplicates < 0 || duplicates > 10) {
            throw new UsageException("--duplicates must be between 0 and 10 (percent)");
        }
        if (planSnapshots < 1 || planFilesPerSnapshot < 1) {
            throw new UsageException("--plan-snapshots and --plan-files-per-snapshot must be positive");
        }
        if (window <= 0 || (24 % window != 0 && window % 24 != 0)) {
            throw new UsageException("--window must divide 24 or be a multiple of 24 hours");
        }
        PrintWriter w = spec.commandLine().getOut();
        ObjectNode r = new Bench(new Bench.Options(rows, files, tables, duplicates, workDir, keep, inProcess,
                planSnapshots, planFilesPerSnapshot, window), w).run();
        write(r, w);
        return ExitCodes.OK;
    }

    /** {@code --continuous} or {@code --idle}: the daemon in a JVM of its own (bench.ContinuousBench, bench.IdleBench). */
    private Integer daemonBench() throws Exception {
        PrintWriter w = spec.commandLine().getOut();
        ObjectNode r;
        if (continuous) {
            if (!(days >= 1.0 / 144) || days > 3650) {
                throw new UsageException("--days: " + days + " is not between 10 minutes (0.007) and 3650");
            }
            if (rowsPerDay < 1000) {
                throw new UsageException("--rows-per-day: " + rowsPerDay + " is below 1000");
            }
            if (lateShare < 0 || lateShare >= 0.9) {
                throw new UsageException("--late-share: " + lateShare + " is not in [0, 0.9)");
            }
            java.time.Duration late;
            try {
                late = io.kompactor.config.Units.duration(maxLate);
            } catch (IllegalArgumentException e) {
                throw new UsageException("--max-late: " + e.getMessage());
            }
            if (late.compareTo(java.time.Duration.ofMinutes(10)) < 0) {
                throw new UsageException("--max-late: at least 10m (late files arrive 10 minutes late at the earliest)");
            }
            java.util.Map<String, String> s = settings == null ? java.util.Map.of() : settings;
            for (String key : s.keySet()) {
                if (!key.startsWith("kompactor.") || key.equals("kompactor.data-dir") || key.equals("kompactor.hosts")) {
                    throw new UsageException("--set takes kompactor.* settings of the daemon (not data-dir or hosts): " + key);
                }
            }
            try {
                io.kompactor.config.Configuration.of(s);
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
            r = Bench.continuous(days, rowsPerDay, lateShare, late, s, workDir, keep, w);
        } else {
            if (snapshots < 1 || idleSeconds < 1) {
                throw new UsageException("need --snapshots >= 1 and --idle-seconds >= 1");
            }
            r = Bench.idle(snapshots, idleSeconds, workDir, keep, w);
        }
        write(r, w);
        return ExitCodes.OK;
    }

    private void write(ObjectNode r, PrintWriter w) throws java.io.IOException {
        if (out != null) {
            Path p = out.toAbsolutePath();
            if (p.getParent() != null) {
                Files.createDirectories(p.getParent());
            }
            Files.write(p, Json.prettyBytes(r, true));
            w.println("wrote " + p);
        }
    }
}
