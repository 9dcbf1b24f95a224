package io.kompactor.cli;

import io.kompactor.config.Units;
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
        Path d = dir != null ? dir.toAbsolutePath() : Files.createTempDirectory("kompactor-demo-");
        if (Files.isDirectory(d)) {
            try (Stream<Path> s = Files.list(d)) {
                if (s.findAny().isPresent()) {
                    throw new UsageException(d + ": not empty; give --dir a new or empty directory");
                }
            }
        }
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
