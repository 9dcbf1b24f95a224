package io.kompactor.cli;

import io.kompactor.engine.Units;
import io.kompactor.plan.PlannerOptions;
import io.kompactor.demo.DemoDataDir;
import io.kompactor.demo.DemoSpec;
import io.kompactor.demo.DemoSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Write a Core-like data dir (parquet files as Core writes them, late data, upserts, schema growth, "
                + "a table index), compact it, verify it, and show before -> after.")
public final class DemoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--dir", paramLabel = "<dir>", description = "Where to write the demo data dir (must be empty or absent). Default: a new temp dir.")
    Path dir;

    @Option(names = "--host", defaultValue = "node0", description = "Node id of the demo data dir (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--window", defaultValue = "24", description = "Window in hours for the compaction (default: ${DEFAULT-VALUE}).")
    int window;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        // every option is checked before the demo dir is written
        try {
            new PlannerOptions(window, 2, Duration.ZERO, PlannerOptions.DEFAULT_TARGET_FILE_BYTES, 0);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        if (host.isBlank() || !host.matches("[A-Za-z0-9._-]+") || host.equals(".") || host.equals("..")) {
            throw new UsageException("--host: '" + host + "' is not a node id (letters, digits, '.', '_', '-')");
        }
        if (dir != null) {
            Path given = dir.toAbsolutePath();
            if (Files.exists(given) && !Files.isDirectory(given)) {
                throw new UsageException("--dir: " + given + " is a file; give a new or empty directory");
            }
            if (Files.isDirectory(given)) {
                try (Stream<Path> s = Files.list(given)) {
                    if (s.findAny().isPresent()) {
                        throw new UsageException("--dir: " + given + " is not empty; give a new or empty directory");
                    }
                }
            }
        }
        Path d = dir != null ? dir.toAbsolutePath() : Files.createTempDirectory("kompactor-demo-");
        // Two days ago, so every window has settled.
        long start = Instant.now().minus(Duration.ofDays(2)).truncatedTo(ChronoUnit.DAYS).toEpochMilli() * 1_000_000L;
        DemoSummary before = DemoDataDir.write(d, DemoSpec.defaults(host, start));
        out.printf("demo data dir: %s%nbefore: %d snapshots, %d parquet files, %d rows listed, %s%n", d,
                before.snapshots(), before.files(), before.rows(), Units.bytes(before.bytes()));
        out.println();
        out.println("$ kompactor compact " + d + " --hosts " + host + " --window " + window);
        out.flush();
        PrintWriter err = spec.commandLine().getErr();
        int rc = KompactorCli.execute(out, err, "compact", d.toString(), "--hosts", host, "--window", Integer.toString(window));
        out.println();
        out.println("$ kompactor verify " + d + " --hosts " + host);
        out.flush();
        int vrc = KompactorCli.execute(out, err, "verify", d.toString(), "--hosts", host);
        long files;
        long bytes = 0;
        try (Stream<Path> s = Files.walk(d.resolve(host).resolve("dbs"))) {
            var list = s.filter(p -> p.toString().endsWith(".parquet")).toList();
            files = list.size();
            for (Path p : list) {
                bytes += Files.size(p);
            }
        }
        out.println();
        out.printf("after: %d parquet files, %s (originals kept under %s for rollback)%n", files, Units.bytes(bytes),
                d.resolve(".kompactor/retired"));
        out.flush();
        return rc != ExitCodes.OK ? rc : vrc;
    }
}
