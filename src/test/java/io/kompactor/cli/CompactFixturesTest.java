package io.kompactor.cli;

import io.kompactor.snapshot.Snapshot;
import io.kompactor.testing.DataDirAssertions;
import io.kompactor.testing.Fixtures;
import io.kompactor.testing.ServerOracle;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every fixture data dir, end to end through the real CLI: the server's query results do not change, verify finds
 * nothing, one file remains per table and window, a second run and a dry run change nothing.
 */
class CompactFixturesTest {
    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0} window {2}h")
    @CsvSource({"core-3.9,node0,24", "core-3.6,node0,24", "core-3.0,node0,24", "alpha,my_host,24", "core-3.6,node0,1",
        "core-3.9,node0,1"})
    void compactKeepsQueryResultsAndLeavesOneFilePerTableAndWindow(String fixture, String host, int window)
            throws IOException {
        Path dataDir = Fixtures.copy(fixture, tmp.resolve(fixture));
        FileTime mtime = FileTime.from(Instant.parse("2025-02-01T12:00:00Z"));
        try (Stream<Path> s = Files.list(dataDir.resolve(host).resolve("snapshots"))) {
            for (Path p : s.toList()) {
                Files.setLastModifiedTime(p, mtime);
            }
        }
        ServerOracle oracle = new ServerOracle();
        var before = oracle.load(dataDir, host);
        Map<Long, Long[]> seqBefore = sequences(dataDir, host);

        Map<Path, String> tree = DataDirAssertions.tree(dataDir);
        CliRun dry = CliRun.of("compact", dataDir.toString(), "--hosts", host, "--window", "" + window, "--dry-run");
        assertEquals(0, dry.exitCode(), dry::toString);
        assertTrue(dry.out().contains("plan"), dry::toString);
        assertEquals(tree, DataDirAssertions.tree(dataDir), "--dry-run changed something");
        assertFalse(Files.exists(dataDir.resolve(".kompactor")), "--dry-run created the state dir");

        CliRun run = CliRun.of("compact", dataDir.toString(), "--hosts", host, "--window", "" + window);
        assertEquals(0, run.exitCode(), run::toString);
        assertEquals(before, oracle.load(dataDir, host), "query results changed");

        CliRun verify = CliRun.of("verify", dataDir.toString(), "--hosts", host);
        assertEquals(0, verify.exitCode(), verify::toString);

        assertEquals(expectedFiles(before.keySet().size(), dataDir, host, window), parquetFiles(dataDir, host),
                "one file per table and window");
        assertEquals(seqBefore.keySet(), sequences(dataDir, host).keySet(), "snapshot files kept");
        sequences(dataDir, host).forEach((seq, v) -> assertEquals(List.of(seqBefore.get(seq)), List.of(v),
                "sequence numbers and next_file_id unchanged"));
        try (Stream<Path> s = Files.list(dataDir.resolve(host).resolve("snapshots"))) {
            for (Path p : s.toList()) {
                assertTrue(Snapshot.FILE_NAME.matcher(p.getFileName().toString()).matches(), "only snapshots in snapshots/: " + p);
                assertEquals(mtime, Files.getLastModifiedTime(p), "mtime kept: " + p);
            }
        }

        Map<Path, String> after = DataDirAssertions.serverTree(dataDir);
        CliRun again = CliRun.of("compact", dataDir.toString(), "--hosts", host, "--window", "" + window);
        assertEquals(0, again.exitCode(), again::toString);
        assertTrue(again.out().contains("nothing to compact"), again::toString);
        DataDirAssertions.assertSameTree(after, DataDirAssertions.serverTree(dataDir), "a second run changed the data dir");
    }

    /** seq -> [wal seq, catalog seq, next_file_id] */
    private static Map<Long, Long[]> sequences(Path dataDir, String host) throws IOException {
        Map<Long, Long[]> m = new HashMap<>();
        try (Stream<Path> s = Files.list(dataDir.resolve(host).resolve("snapshots"))) {
            for (Path p : s.toList()) {
                Snapshot snap = Snapshot.read(p);
                m.put(snap.sequence(), new Long[]{snap.doc().json().get("wal_file_sequence_number").longValue(),
                    snap.doc().json().get("catalog_sequence_number").longValue(), snap.nextFileId()});
            }
        }
        return m;
    }

    static long parquetFiles(Path dataDir, String host) throws IOException {
        try (Stream<Path> s = Files.walk(dataDir.resolve(host).resolve("dbs"))) {
            return s.filter(p -> p.toString().endsWith(".parquet")).count();
        }
    }

    /** Distinct (table dir, window) pairs among the parquet files on disk, computed from their time folders. */
    private static long expectedFiles(int tables, Path dataDir, String host, int window) throws IOException {
        Set<String> keys = new HashSet<>();
        try (Stream<Path> s = Files.walk(dataDir.resolve(host).resolve("dbs"))) {
            for (Path p : s.filter(x -> x.toString().endsWith(".parquet")).toList()) {
                Path hhmm = p.getParent();
                Path day = hhmm.getParent();
                int hour = Integer.parseInt(hhmm.getFileName().toString().substring(0, 2));
                keys.add(day.getParent() + "|" + day.getFileName() + "|" + (window >= 24 ? 0 : hour / window));
            }
        }
        assertTrue(keys.size() >= tables);
        return keys.size();
    }
}
