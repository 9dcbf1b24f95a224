package io.kompactor.cli;

import io.kompactor.demo.DemoDataDir;
import io.kompactor.demo.DemoSpec;
import io.kompactor.testing.DataDirAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The metadata is a host's map (docs/format.md, "A broken file stops its host"): a snapshot that cannot be parsed,
 * or one whose entries point outside the node's tree, leaves that host exactly as it was, names the file and what is
 * wrong, exits 1; the other hosts go on. Nothing outside the data dir is read, moved or deleted.
 */
class BrokenHostTest {
    @TempDir
    Path tmp;

    private Path twoHosts() {
        Path data = tmp.resolve("data");
        long start = Instant.parse("2025-01-26T00:00:00Z").toEpochMilli() * 1_000_000L;
        DemoDataDir.write(data, DemoSpec.defaults("alpha", start).withShape(1, 2, 8, 10));
        DemoDataDir.write(data, DemoSpec.defaults("beta", start).withShape(1, 2, 8, 10).withSeed(7));
        return data;
    }

    private static Path snapshot(Path data, String host, int skip) throws Exception {
        try (Stream<Path> s = Files.list(data.resolve(host).resolve("snapshots"))) {
            return s.sorted().skip(skip).findFirst().orElseThrow();
        }
    }

    @Test
    void aGarbageSnapshotStopsItsHostOnly() throws Exception {
        Path data = twoHosts();
        Path bad = snapshot(data, "alpha", 3);
        Files.writeString(bad, "{\"version\": \"1\", \"node_id\": \"alpha\", \"databases\": [[0, {\"tab", StandardCharsets.UTF_8);
        Map<Path, String> alpha = DataDirAssertions.tree(data.resolve("alpha"));
        long betaFiles = DataDirAssertions.parquetFileCount(data, "beta");

        CliRun run = CliRun.of("compact", data.toString());
        assertEquals(1, run.exitCode(), run::toString);
        assertTrue(run.out().contains("alpha: left untouched: " + bad) && run.out().contains("not valid JSON"), run::toString);
        DataDirAssertions.assertSameTree(alpha, DataDirAssertions.tree(data.resolve("alpha")), "the broken host changed");
        assertEquals(2, DataDirAssertions.parquetFileCount(data, "beta"), "beta compacted from " + betaFiles + " files");
        CliRun verify = CliRun.of("verify", data.toString());
        assertEquals(1, verify.exitCode(), verify::toString);
        assertTrue(verify.out().contains(bad.toString()), verify::toString);
    }

    @Test
    void pathsLeavingTheNodeTreeStopTheHostAndNothingOutsideIsTouched() throws Exception {
        Path data = twoHosts();
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Files.write(outside.resolve("x.parquet"), Files.readAllBytes(firstParquet(data, "alpha")));
        Map<Path, String> outsideBefore = DataDirAssertions.tree(outside);
        Path s1 = snapshot(data, "alpha", 2);
        Path s2 = snapshot(data, "alpha", 4);
        String p1 = Files.readString(s1);
        String p2 = Files.readString(s2);
        // one entry climbing out with ../, one absolute; both pointing at a real parquet file outside the data dir
        Files.writeString(s1, p1.replaceFirst("\"path\": \"alpha/[^\"]*\"", "\"path\": \"alpha/../../outside/x.parquet\""));
        Files.writeString(s2, p2.replaceFirst("\"path\": \"alpha/[^\"]*\"",
                "\"path\": \"" + outside.resolve("x.parquet").toAbsolutePath() + "\""));
        Map<Path, String> alpha = DataDirAssertions.tree(data.resolve("alpha"));

        CliRun run = CliRun.of("compact", data.toString());
        assertEquals(1, run.exitCode(), run::toString);
        assertTrue(run.out().contains("'..' segment") && run.out().contains("absolute path"), run::toString);
        assertTrue(run.out().contains(s1.toString()) && run.out().contains(s2.toString()), run::toString);
        DataDirAssertions.assertSameTree(alpha, DataDirAssertions.tree(data.resolve("alpha")), "the host changed");
        DataDirAssertions.assertSameTree(outsideBefore, DataDirAssertions.tree(outside), "outside the data dir changed");
        assertEquals(2, DataDirAssertions.parquetFileCount(data, "beta"), "the other host compacted");
    }

    private static Path firstParquet(Path data, String host) throws Exception {
        try (Stream<Path> s = Files.walk(data.resolve(host).resolve("dbs"))) {
            return s.filter(p -> p.toString().endsWith(".parquet")).sorted().findFirst().orElseThrow();
        }
    }
}
