package io.kompactor.snapshot;

import io.kompactor.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every era's snapshot parses; a rewrite keeps bytes, field order, integers and mtime. */
class SnapshotFormatTest {
    static final Path SAMPLES = Fixtures.snapshotSamples();
    static final Path DATADIRS = Fixtures.sharedDir().resolve("fixtures").resolve("datadirs");

    @TempDir
    Path tmp;

    private Path sample(String prefix) throws IOException {
        try (Stream<Path> s = Files.list(SAMPLES)) {
            Path src = s.filter(p -> p.getFileName().toString().startsWith(prefix)).findFirst().orElseThrow();
            Path dst = tmp.resolve(src.getFileName());
            Files.copy(src, dst);
            return dst;
        }
    }

    @Test
    void everyEraParsesWithItsNodeIdAndFiles() throws IOException {
        Map<String, SnapshotEra> eras = Map.of(
                "pre-alpha", SnapshotEra.PRE_ALPHA,
                "alpha", SnapshotEra.ALPHA,
                "v3.0.0_", SnapshotEra.V1,
                "v3.2.0", SnapshotEra.V1_REMOVED_FILES);
        for (var e : eras.entrySet()) {
            Snapshot s = Snapshot.read(sample(e.getKey()));
            assertEquals(e.getValue(), s.era(), e.getKey());
            assertFalse(s.nodeId().isBlank());
            assertFalse(s.files().isEmpty(), e.getKey() + " lists files");
            assertEquals(s.doc().allFiles().size(), s.files().values().stream().mapToInt(List::size).sum());
        }
    }

    @Test
    void redactedIdsAreRefusedNamingFileAndField() throws IOException {
        Path p = sample("v3.8.2");
        MetadataException e = assertThrows(MetadataException.class, () -> Snapshot.read(p));
        assertTrue(e.getMessage().contains(p.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("\"id\"") || e.getMessage().contains("next_file_id"), e.getMessage());
        assertTrue(e.getMessage().contains("64-bit integer"), e.getMessage());
    }

    @Test
    void garbageJsonIsRefusedNamingTheFile() throws IOException {
        Path p = tmp.resolve("18446744073709551615.info.json");
        Files.writeString(p, "{\"version\": \"1\", \"node_id\": ");
        MetadataException e = assertThrows(MetadataException.class, () -> Snapshot.read(p));
        assertTrue(e.getMessage().startsWith(p.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("not valid JSON"), e.getMessage());
    }

    @Test
    void unchangedRewriteIsByteIdenticalForEverySampleAndFixture() throws IOException {
        List<Path> files = new java.util.ArrayList<>();
        try (Stream<Path> s = Files.list(SAMPLES)) {
            s.filter(p -> !p.toString().contains("redacted") && !p.toString().contains("related_")).forEach(files::add);
        }
        try (Stream<Path> s = Files.walk(DATADIRS)) {
            s.filter(p -> p.toString().endsWith(".json")).forEach(files::add);
        }
        assertTrue(files.size() > 50);
        for (Path f : files) {
            byte[] original = Files.readAllBytes(f);
            MetadataDoc d = MetadataDoc.read(f, f.toString().contains("db-indices") ? DocKind.TABLE_INDEX
                    : f.toString().contains("checkpoint") ? DocKind.CHECKPOINT : DocKind.SNAPSHOT);
            assertArrayEquals(original, d.bytes(), f.toString());
            assertArrayEquals(original, d.edit(Set.of(), Map.of()).bytes(), f + " after a no-op edit");
        }
    }

    @Test
    void editDropsInputsAddsOutputsRecomputesTotalsAndKeepsMtime() throws IOException {
        Path src = DATADIRS.resolve("core-3.6/node0/snapshots");
        Path file;
        try (Stream<Path> s = Files.list(src)) {
            file = s.sorted().findFirst().orElseThrow();
        }
        Path copy = tmp.resolve(file.getFileName());
        Files.copy(file, copy);
        FileTime mtime = FileTime.from(Instant.parse("2025-01-26T03:00:00Z"));
        Files.setLastModifiedTime(copy, mtime);
        Snapshot s = Snapshot.read(copy);
        TableKey table = s.files().keySet().iterator().next();
        ParquetFileEntry drop = s.files().get(table).get(0);
        ParquetFileEntry big = new ParquetFileEntry((1L << 62) + 7, "node0/dbs/0/0/2025-01-26/00-00/kompacted-5-"
                + ((1L << 62) + 7) + ".parquet", 123, 45, 1737849600000000000L, Long.MIN_VALUE + 1, Long.MAX_VALUE - 1);
        MetadataDoc edited = s.doc().edit(Set.of(drop.id()), Map.of(table, List.of(big)));
        io.kompactor.fs.FileOps.plain().write(copy, edited.bytes(), edited.mtime());

        Snapshot after = Snapshot.read(copy);
        assertEquals(mtime, Files.getLastModifiedTime(copy));
        assertFalse(after.lists(drop.id()));
        assertTrue(after.files().get(table).contains(big), "exact 64-bit values survive");
        long rows = after.doc().allFiles().stream().mapToLong(ParquetFileEntry::rowCount).sum();
        assertEquals(rows, after.doc().json().get("row_count").longValue());
        assertEquals(Long.MIN_VALUE + 1, after.doc().json().get("min_time").longValue());
        assertEquals(s.sequence(), after.sequence());
        assertEquals(s.nextFileId(), after.nextFileId());
        List<String> keys = new java.util.ArrayList<>();
        after.doc().json().fieldNames().forEachRemaining(keys::add);
        List<String> before = new java.util.ArrayList<>();
        s.doc().json().fieldNames().forEachRemaining(before::add);
        assertEquals(before, keys, "field order kept");
        try (Stream<Path> l = Files.list(tmp)) {
            assertEquals(1, l.filter(p -> p.getFileName().toString().startsWith(copy.getFileName().toString())).count(),
                    "no temp file left beside the snapshot");
        }
    }

    @Test
    void emptiedSnapshotKeepsServerDefaults() throws IOException {
        Path copy = tmp.resolve("s.info.json");
        try (Stream<Path> s = Files.list(DATADIRS.resolve("core-3.0/node0/snapshots"))) {
            Files.copy(s.sorted().findFirst().orElseThrow(), copy);
        }
        MetadataDoc d = MetadataDoc.read(copy, DocKind.SNAPSHOT);
        Set<Long> all = new java.util.HashSet<>();
        d.allFiles().forEach(f -> all.add(f.id()));
        MetadataDoc e = d.edit(all, Map.of());
        assertTrue(e.allFiles().isEmpty());
        assertEquals(0, e.json().get("databases").size());
        assertEquals(Long.MAX_VALUE, e.json().get("min_time").longValue());
        assertEquals(Long.MIN_VALUE, e.json().get("max_time").longValue());
        assertEquals(0, e.json().get("row_count").longValue());
    }

    @Test
    void fileStemIsInvertedSequence() {
        assertEquals("18446744073709551615", Snapshot.fileStem(0));
        assertEquals("18446744073709551596", Snapshot.fileStem(19));
    }
}
