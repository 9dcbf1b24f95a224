package io.kompactor.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kompactor.config.Settings;
import io.kompactor.config.Units;
import io.kompactor.snapshot.Json;
import io.kompactor.demo.DemoDataDir;
import io.kompactor.demo.DemoSpec;
import io.kompactor.demo.DemoSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
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

    @Option(names = "--json", description = "Machine-readable output: the demo dir, before, compact's and verify's "
            + "JSON, after.")
    boolean json;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        // every option is checked before the demo dir is written
        String badWindow = Settings.get("kompactor.window-hours").problem(Integer.toString(window));
        if (badWindow != null) {
            throw new UsageException("--window: " + badWindow);
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
        KompactorCli global = KompactorCli.of(spec);
        List<String> flags = new ArrayList<>();
        if (json) {
            flags.add("--json");
        }
        if (global.quiet()) {
            flags.add("-q");
        }
        if (global.verbose()) {
            flags.add("-v");
        }
        List<String> compact = new ArrayList<>(List.of("compact", d.toString(), "--hosts", host, "--window",
                Integer.toString(window)));
        List<String> verify = new ArrayList<>(List.of("verify", d.toString(), "--hosts", host));
        if (!json) {
            out.printf("demo data dir: %s%nbefore: %s, %s, %s listed, %s%n", d, Units.count(before.snapshots(), "snapshot"),
                    Units.count(before.files(), "parquet file"), Units.count(before.rows(), "row"),
                    Units.bytes(before.bytes()));
            out.println();
            out.println("$ kompactor " + String.join(" ", compact));
            out.flush();
        }
        PrintWriter err = spec.commandLine().getErr();
        StringWriter compactOut = new StringWriter();
        compact.addAll(flags);
        int rc = KompactorCli.execute(json ? new PrintWriter(compactOut, true) : out, err, compact.toArray(String[]::new));
        if (!json) {
            out.println();
            out.println("$ kompactor " + String.join(" ", verify));
            out.flush();
        }
        StringWriter verifyOut = new StringWriter();
        verify.addAll(flags);
        int vrc = KompactorCli.execute(json ? new PrintWriter(verifyOut, true) : out, err, verify.toArray(String[]::new));
        long files;
        long bytes = 0;
        try (Stream<Path> s = Files.walk(d.resolve(host).resolve("dbs"))) {
            var list = s.filter(p -> p.toString().endsWith(".parquet")).toList();
            files = list.size();
            for (Path p : list) {
                bytes += Files.size(p);
            }
        }
        Path retired = d.resolve(".kompactor/retired");
        if (json) {
            ObjectNode doc = JsonOut.object().put("data_dir", d.toString());
            doc.putObject("before").put("snapshots", before.snapshots()).put("files", before.files())
                    .put("rows", before.rows()).put("bytes", before.bytes());
            doc.set("compact", parsed(compactOut, rc));
            doc.set("verify", parsed(verifyOut, vrc));
            doc.putObject("after").put("files", files).put("bytes", bytes).put("originals_kept_under", retired.toString());
            JsonOut.print(out, doc);
        } else {
            out.println();
            out.printf("after: %s, %s (originals kept under %s for rollback)%n", Units.count(files, "parquet file"),
                    Units.bytes(bytes), retired);
            out.flush();
        }
        return rc != ExitCodes.OK ? rc : vrc;
    }

    /** A sub-command's JSON document, or (when it failed before writing one) its exit code alone. */
    private static JsonNode parsed(StringWriter out, int exitCode) {
        try {
            JsonNode n = Json.mapper().readTree(out.toString());
            return n == null || n.isMissingNode() ? JsonOut.object().put("exit_code", exitCode) : n;
        } catch (IOException e) {
            return JsonOut.object().put("exit_code", exitCode);
        }
    }
}
