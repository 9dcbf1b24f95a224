package io.kompactor.merge;

import io.kompactor.parquet.ArrowSchemaInfo;
import io.kompactor.parquet.ArrowSchemas;
import io.kompactor.parquet.ColumnSpec;
import io.kompactor.parquet.DuckDb;
import io.kompactor.parquet.ParquetFacts;
import io.kompactor.parquet.ParquetInspector;
import io.kompactor.plan.CompactionPlan;
import io.kompactor.snapshot.ParquetFileEntry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static io.kompactor.merge.TableFiles.MINUTE;
import static io.kompactor.merge.TableFiles.T0;
import static io.kompactor.parquet.InfluxType.*;
import static org.junit.jupiter.api.Assertions.*;

class DuckDbMergerTest {

    static final List<ColumnSpec> CPU = List.of(
            new ColumnSpec("host", TAG), new ColumnSpec("region", TAG), new ColumnSpec("usage", FLOAT),
            new ColumnSpec("count", INTEGER), new ColumnSpec("time", TIME));
    static final List<String> KEY = List.of("region", "host");

    @TempDir
    Path dataDir;
    @TempDir
    Path tmpDir;

    Connection c;
    TableFiles files;
    DuckDbMerger merger;

    @BeforeEach
    void setUp() throws Exception {
        c = DuckDb.openLight();
        files = new TableFiles(dataDir, c);
        merger = new DuckDbMerger(new MergeSettings("512MB", 2, tmpDir, "1GB"));
    }

    @AfterEach
    void tearDown() throws Exception {
        merger.close();
        c.close();
    }

    /** 40 rows per file: 4 series x 10 minutes, starting at minute {@code startMinute}; usage tells the file. */
    List<List<Object>> series(int startMinute, double usage) {
        List<List<Object>> rows = new ArrayList<>();
        for (String region : List.of("eu", "us")) {
            for (String host : List.of("a", "b")) {
                for (int m = 0; m < 10; m++) {
                    rows.add(Arrays.asList(host, region, usage, (long) m, T0 + (startMinute + m) * MINUTE));
                }
            }
        }
        return rows;
    }

    @Test
    void mergesNonOverlappingFilesSortedWithAllRows() throws Exception {
        List<ParquetFileEntry> in = List.of(
                files.write(1, CPU, KEY, series(0, 1.0)),
                files.write(2, CPU, KEY, series(10, 2.0)),
                files.write(3, CPU, KEY, series(20, 3.0)));
        CompactionPlan plan = files.plan(in);
        MergeResult result = merger.merge(plan);

        assertEquals(1, result.outputs().size());
        MergedFile out = result.outputs().get(0);
        assertEquals(120, out.rowCount());
        assertEquals(120, result.inputRows());
        assertEquals(120, result.outputRows());
        assertEquals(T0, out.minTime());
        assertEquals(T0 + 29 * MINUTE, out.maxTime());
        assertEquals(Files.size(out.tmpFile()), out.sizeBytes());
        assertTrue(out.tmpFile().startsWith(tmpDir));
        assertTrue(out.tmpFile().getFileName().toString().endsWith(".parquet"));
        try (Stream<Path> s = Files.list(tmpDir)) {
            assertTrue(s.noneMatch(p -> p.toString().endsWith(".inprogress")));
        }

        List<String> rows = files.rows(out.tmpFile());
        // sorted by the series key (region, host), then time
        assertEquals("a|eu|1.0|0|" + T0, rows.get(0));
        assertEquals("a|eu|3.0|9|" + (T0 + 29 * MINUTE), rows.get(29));
        assertEquals("b|eu|1.0|0|" + T0, rows.get(30));
        assertEquals("a|us|1.0|0|" + T0, rows.get(60));
        assertEquals("b|us|3.0|9|" + (T0 + 29 * MINUTE), rows.get(119));

        // the input's ARROW:schema is carried over verbatim
        ParquetFacts facts = new ParquetInspector().inspect(c, out.tmpFile());
        ArrowSchemaInfo info = ArrowSchemas.decode(facts.arrowSchemaBase64());
        assertEquals(CPU, info.columns());
        assertEquals(KEY, info.seriesKey());
        assertEquals(new ParquetInspector().inspect(c, dataDir.resolve(in.get(2).path())).arrowSchemaBase64(),
                facts.arrowSchemaBase64(), "copied verbatim from the newest input");
        assertEquals("REQUIRED", files.single(
                "SELECT repetition_type FROM parquet_schema(?) WHERE name = 'time'", out.tmpFile().toString()));
        assertEquals("TIMESTAMP_NS", facts.column("time").orElseThrow().duckdbType());
    }

    @Test
    void deduplicatesUpsertsKeepingLastNonNullPerField() throws Exception {
        ParquetFileEntry older = files.write(1, CPU, KEY, series(0, 1.0));
        // The newer file repeats minutes 5..9 of host a/eu: usage is newer, count is NULL (keep the old one),
        // and adds minutes 10..12 that only it has.
        List<List<Object>> upserts = new ArrayList<>();
        for (int m = 5; m < 13; m++) {
            upserts.add(Arrays.asList("a", "eu", 9.0 + m, null, T0 + m * MINUTE));
        }
        ParquetFileEntry newer = files.write(2, CPU, KEY, upserts);
        MergeResult result = merger.merge(files.plan(List.of(older, newer)));

        MergedFile out = result.outputs().get(0);
        assertEquals(40 + 3, out.rowCount(), "5 upserted keys collapse, 3 new keys are added");
        List<String> rows = files.rows(out.tmpFile());
        assertEquals("a|eu|1.0|4|" + (T0 + 4 * MINUTE), rows.get(4));
        assertEquals("a|eu|14.0|5|" + (T0 + 5 * MINUTE), rows.get(5), "newer usage, older non-null count");
        assertEquals("a|eu|18.0|9|" + (T0 + 9 * MINUTE), rows.get(9));
        assertEquals("a|eu|21.0|null|" + (T0 + 12 * MINUTE), rows.get(12));
        assertEquals("b|eu|1.0|0|" + T0, rows.get(13), "other series untouched");
        assertEquals(40 + 3, rows.stream().distinct().count());
    }

    @Test
    void newestFileWinsEvenWhenOlderOneComesLaterInTime() throws Exception {
        // Same key in three files: the newest non-null value wins, whatever the file's position on disk.
        List<ColumnSpec> cols = List.of(new ColumnSpec("host", TAG), new ColumnSpec("v", FLOAT),
                new ColumnSpec("s", STRING), new ColumnSpec("time", TIME));
        ParquetFileEntry f1 = files.write(1, cols, List.of("host"), List.of(Arrays.asList("a", 1.0, "one", T0)));
        ParquetFileEntry f2 = files.write(2, cols, List.of("host"), List.of(Arrays.asList("a", 2.0, null, T0)));
        ParquetFileEntry f3 = files.write(3, cols, List.of("host"), List.of(Arrays.asList("a", null, null, T0)));
        MergedFile out = merger.merge(files.plan(List.of(f1, f2, f3))).outputs().get(0);
        assertEquals(List.of("a|2.0|one|" + T0), files.rows(out.tmpFile()));
    }

    @Test
    void nullTagsSortFirstAndCompareEqualForDedup() throws Exception {
        ParquetFileEntry f1 = files.write(1, CPU, KEY, List.of(
                Arrays.asList("a", "eu", 1.0, 1L, T0),
                Arrays.asList(null, "eu", 2.0, 2L, T0 + MINUTE),
                Arrays.asList("a", null, 3.0, 3L, T0 + 2 * MINUTE)));
        ParquetFileEntry f2 = files.write(2, CPU, KEY, List.of(
                Arrays.asList(null, "eu", 20.0, null, T0 + MINUTE)));
        MergedFile out = merger.merge(files.plan(List.of(f1, f2))).outputs().get(0);
        assertEquals(List.of(
                "a|null|3.0|3|" + (T0 + 2 * MINUTE),
                "null|eu|20.0|2|" + (T0 + MINUTE),
                "a|eu|1.0|1|" + T0), files.rows(out.tmpFile()));
    }

    /**
     * The sort runs on ENUM casts of the tags: their order must be InfluxDB's, i.e. bytewise on UTF-8 with NULLs
     * first, also for upper before lower case, prefixes, the empty string and non-ASCII, and a tag that is NULL
     * in every row (it gets no ENUM) must still come out right.
     */
    @Test
    void tagOrderIsBytewiseWithNullsFirst() throws Exception {
        List<ColumnSpec> cols = List.of(new ColumnSpec("host", TAG), new ColumnSpec("region", TAG),
                new ColumnSpec("zone", TAG), new ColumnSpec("usage", FLOAT), new ColumnSpec("time", TIME));
        List<String> key = List.of("region", "host", "zone");
        List<String> values = Arrays.asList("é", "aa", "", "Z", null, "a", "B", "a b", "a\u00ff", "\u4e2d");
        List<List<Object>> older = new ArrayList<>();
        List<List<Object>> newer = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            for (int j = 0; j < values.size(); j++) {
                older.add(Arrays.asList(values.get(j), values.get(i), null, 1.0, T0 + (i + j) * MINUTE));
                newer.add(Arrays.asList(values.get(i), values.get(j), null, 2.0, T0 + (i + j + 1) * MINUTE));
            }
        }
        MergeResult result = merger.merge(files.plan(List.of(files.write(1, cols, key, older),
                files.write(2, cols, key, newer))));
        List<String> rows = files.rows(result.outputs().get(0).tmpFile());
        List<String> expected = new ArrayList<>(rows);
        java.util.Comparator<String> tag = java.util.Comparator.nullsFirst((a, b) -> java.util.Arrays.compareUnsigned(
                a.getBytes(java.nio.charset.StandardCharsets.UTF_8), b.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        // rows print as host|region|zone|usage|time; the key is region, host, zone, then time
        expected.sort(java.util.Comparator.<String, String>comparing(r -> field(r, 1), tag)
                .thenComparing(r -> field(r, 0), tag)
                .thenComparingLong(r -> Long.parseLong(field(r, 4))));
        assertEquals(expected, rows);
        assertEquals(2 * values.size() * values.size(), rows.size() + duplicates(older, newer));
    }

    /**
     * A string field with few values is cast to an ENUM for the sort: its values, NULLs and the empty string come out
     * exactly as they went in, and it is still a plain UTF8 string column.
     */
    @Test
    void fewValuedStringFieldComesOutUnchanged() throws Exception {
        List<ColumnSpec> cols = List.of(new ColumnSpec("host", TAG), new ColumnSpec("status", STRING),
                new ColumnSpec("time", TIME));
        List<String> values = Arrays.asList("ok", "", null, "é", "Warn", "a|b");
        List<List<Object>> a = new ArrayList<>();
        List<List<Object>> b = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            a.add(Arrays.asList("h" + i % 3, values.get(i % values.size()), T0 + i * MINUTE));
            b.add(Arrays.asList("h" + i % 3, values.get((i + 1) % values.size()), T0 + (100 + i) * MINUTE));
        }
        MergeResult r = merger.merge(files.plan(List.of(files.write(1, cols, List.of("host"), a),
                files.write(2, cols, List.of("host"), b))));
        Path out = r.outputs().get(0).tmpFile();
        List<String> expected = new ArrayList<>();
        for (List<Object> row : a) {
            expected.add(row.get(0) + "|" + row.get(1) + "|" + row.get(2));
        }
        for (List<Object> row : b) {
            expected.add(row.get(0) + "|" + row.get(1) + "|" + row.get(2));
        }
        expected.sort(java.util.Comparator.<String, String>comparing(x -> x.substring(0, 2))
                .thenComparingLong(x -> Long.parseLong(x.substring(x.lastIndexOf('|') + 1))));
        assertEquals(expected, files.rows(out));
        assertEquals("VARCHAR", files.single("SELECT duckdb_type FROM parquet_schema(?) WHERE name = 'status'",
                out.toString()));
    }

    /** A printed row's value; "null" is NULL, as {@link TableFiles#rows} prints it (no test value is "null"). */
    private static String field(String row, int i) {
        String v = row.split("\\|", -1)[i];
        return v.equals("null") ? null : v;
    }

    /** Keys of {@code newer} that {@code older} has too: the merge keeps one row for each. */
    private static long duplicates(List<List<Object>> older, List<List<Object>> newer) {
        java.util.Set<List<Object>> keys = new java.util.HashSet<>();
        older.forEach(r -> keys.add(Arrays.asList(r.get(0), r.get(1), r.get(4))));
        return newer.stream().filter(r -> keys.contains(Arrays.asList(r.get(0), r.get(1), r.get(4)))).count();
    }

    @Test
    void schemaGrowthGivesUnionAndSynthesizedSchema() throws Exception {
        List<ColumnSpec> grown = List.of(new ColumnSpec("host", TAG), new ColumnSpec("region", TAG),
                new ColumnSpec("usage", FLOAT), new ColumnSpec("count", INTEGER), new ColumnSpec("time", TIME),
                new ColumnSpec("bytes", UINTEGER));
        // newest first in time is the older file: it has the extra column; the newest file lacks it
        ParquetFileEntry older = files.write(1, grown, KEY, List.of(
                Arrays.asList("a", "eu", 1.0, 1L, T0, -1L)));
        ParquetFileEntry newer = files.write(2, CPU, KEY, List.of(
                Arrays.asList("a", "eu", 2.0, 2L, T0 + MINUTE)));
        MergedFile out = merger.merge(files.plan(List.of(older, newer))).outputs().get(0);

        ParquetFacts facts = new ParquetInspector().inspect(c, out.tmpFile());
        assertEquals(List.of("host", "region", "usage", "count", "time", "bytes"), facts.columnNames());
        assertEquals("UBIGINT", facts.column("bytes").orElseThrow().duckdbType());
        ArrowSchemaInfo info = ArrowSchemas.decode(facts.arrowSchemaBase64());
        assertEquals(grown, info.columns());
        assertEquals(KEY, info.seriesKey());
        assertEquals(List.of(
                "a|eu|1.0|1|" + T0 + "|18446744073709551615",
                "a|eu|2.0|2|" + (T0 + MINUTE) + "|null"), files.rows(out.tmpFile()));
    }

    @Test
    void olderFileLackingAColumnGetsNullsAndTheNewestSchemaVerbatim() throws Exception {
        List<ColumnSpec> old = List.of(new ColumnSpec("host", TAG), new ColumnSpec("time", TIME));
        ParquetFileEntry older = files.write(1, old, List.of("host"), List.of(Arrays.asList("b", T0)));
        ParquetFileEntry newer = files.write(2, CPU, KEY, List.of(Arrays.asList("a", "eu", 2.0, 2L, T0 + MINUTE)));
        MergedFile out = merger.merge(files.plan(List.of(older, newer))).outputs().get(0);
        ParquetFacts facts = new ParquetInspector().inspect(c, out.tmpFile());
        assertEquals(List.of("host", "region", "usage", "count", "time"), facts.columnNames());
        assertEquals(new ParquetInspector().inspect(c, dataDir.resolve(newer.path())).arrowSchemaBase64(),
                facts.arrowSchemaBase64());
        // region is NULL in the old row, so it sorts first
        assertEquals(List.of("b|null|null|null|" + T0, "a|eu|2.0|2|" + (T0 + MINUTE)), files.rows(out.tmpFile()));
    }

    @Test
    void noArrowSchemaAnywhereIsRefused() throws Exception {
        Path file = dataDir.resolve("plain.parquet");
        try (var s = c.createStatement()) {
            s.execute("COPY (SELECT 'a' AS host, 1.0::DOUBLE AS v, make_timestamp_ns(" + T0 + ") AS time) TO '"
                    + file + "' (FORMAT parquet)");
        }
        ParquetFileEntry e = new ParquetFileEntry(1, "plain.parquet", Files.size(file), 1, T0, T0, T0);
        MergeException ex = assertThrows(MergeException.class, () -> merger.merge(files.plan(List.of(e))));
        assertTrue(ex.getMessage().contains("cannot tell tags from fields: no ARROW:schema in"), ex.getMessage());
        assertTrue(ex.getMessage().contains(file.toString()), ex.getMessage());
    }

    @Test
    void typeConflictIsRefusedNamingColumnTypesAndFiles() throws Exception {
        List<ColumnSpec> asFloat = List.of(new ColumnSpec("host", TAG), new ColumnSpec("count", FLOAT),
                new ColumnSpec("time", TIME));
        ParquetFileEntry a = files.write(1, CPU, KEY, series(0, 1.0));
        ParquetFileEntry b = files.write(2, asFloat, List.of("host"), List.of(Arrays.asList("a", 1.5, T0)));
        CompactionPlan plan = files.plan(List.of(a, b));
        MergeException ex = assertThrows(MergeException.class, () -> merger.merge(plan));
        String m = ex.getMessage();
        assertTrue(m.contains("column count has conflicting types: BIGINT in "), m);
        assertTrue(m.contains(dataDir.resolve(a.path()) + " but DOUBLE in " + dataDir.resolve(b.path())), m);
        assertTrue(m.startsWith(plan.label()), m);
        try (Stream<Path> s = Files.list(tmpDir)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().startsWith("merge-")), "nothing written");
        }
    }

    @Test
    void caseConflictIsRefused() throws Exception {
        List<ColumnSpec> upper = List.of(new ColumnSpec("Host", TAG), new ColumnSpec("time", TIME));
        List<ColumnSpec> lower = List.of(new ColumnSpec("host", TAG), new ColumnSpec("time", TIME));
        ParquetFileEntry a = files.write(1, upper, List.of("Host"), List.of(Arrays.asList("a", T0)));
        ParquetFileEntry b = files.write(2, lower, List.of("host"), List.of(Arrays.asList("a", T0 + 1)));
        MergeException ex = assertThrows(MergeException.class,
                () -> merger.checkInputs(dataDir, List.of(a, b)));
        assertTrue(ex.getMessage().contains("columns Host (in " + dataDir.resolve(a.path()) + ") and host (in "
                + dataDir.resolve(b.path()) + ") differ only in case"), ex.getMessage());
        assertThrows(MergeException.class, () -> merger.merge(files.plan(List.of(a, b))));
    }

    @Test
    void brokenInputsAreAllListedByCheckInputs() throws Exception {
        ParquetFileEntry good = files.write(1, CPU, KEY, series(0, 1.0));
        ParquetFileEntry truncated = files.write(2, CPU, KEY, series(10, 1.0));
        Path t = dataDir.resolve(truncated.path());
        byte[] bytes = Files.readAllBytes(t);
        Files.write(t, Arrays.copyOf(bytes, bytes.length - 10));
        ParquetFileEntry empty = files.write(3, CPU, KEY, series(20, 1.0));
        Files.write(dataDir.resolve(empty.path()), new byte[0]);
        ParquetFileEntry missing = files.write(4, CPU, KEY, series(30, 1.0));
        Files.delete(dataDir.resolve(missing.path()));

        MergeException ex = assertThrows(MergeException.class,
                () -> merger.checkInputs(dataDir, List.of(good, truncated, empty, missing)));
        String m = ex.getMessage();
        assertTrue(m.contains(t + ": not a parquet file (truncated or corrupt: no magic bytes at end)"), m);
        assertTrue(m.contains(dataDir.resolve(empty.path()) + ": 0-byte file"), m);
        assertTrue(m.contains(dataDir.resolve(missing.path()) + ": file not found"), m);
        assertFalse(m.contains(dataDir.resolve(good.path()).toString()), m);
        merger.checkInputs(dataDir, List.of(good));
    }

    @Test
    void sizeAndRowCountMismatchAreRefused() throws Exception {
        ParquetFileEntry e = files.write(1, CPU, KEY, series(0, 1.0));
        ParquetFileEntry wrongSize = new ParquetFileEntry(e.id(), e.path(), e.sizeBytes() + 1, e.rowCount(),
                e.chunkTime(), e.minTime(), e.maxTime());
        MergeException ex = assertThrows(MergeException.class,
                () -> merger.checkInputs(dataDir, List.of(wrongSize)));
        assertTrue(ex.getMessage().contains(dataDir.resolve(e.path()) + ": size is " + e.sizeBytes()
                + " bytes but the snapshot says " + (e.sizeBytes() + 1)), ex.getMessage());

        ParquetFileEntry wrongRows = new ParquetFileEntry(e.id(), e.path(), e.sizeBytes(), 41,
                e.chunkTime(), e.minTime(), e.maxTime());
        ex = assertThrows(MergeException.class, () -> merger.merge(files.plan(List.of(wrongRows))));
        assertTrue(ex.getMessage().contains("footer has 40 rows but the snapshot says 41"), ex.getMessage());
    }

    @Test
    void splitsIntoTimeOrderedFilesWhenOverTarget() throws Exception {
        List<ParquetFileEntry> in = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            in.add(files.write(i + 1, CPU, KEY, series(i * 10, i)));
        }
        CompactionPlan plan = files.plan(in, 1); // every byte is over target: ceil(inputBytes / 1) slices
        MergeResult result = merger.merge(plan);

        assertTrue(result.outputs().size() >= 2, "split into " + result.outputs().size());
        assertEquals(160, result.outputRows());
        long previousMax = Long.MIN_VALUE;
        long rows = 0;
        for (MergedFile f : result.outputs()) {
            assertTrue(f.rowCount() > 0);
            assertTrue(f.minTime() > previousMax, "outputs in time order, not overlapping");
            previousMax = f.maxTime();
            rows += Long.parseLong(files.single("SELECT count(*) FROM read_parquet(?)", f.tmpFile().toString()));
            assertNotNull(new ParquetInspector().inspect(c, f.tmpFile()).arrowSchemaBase64());
        }
        assertEquals(160, rows);
        assertEquals(T0, result.outputs().get(0).minTime());
        assertEquals(T0 + 39 * MINUTE, result.outputs().get(result.outputs().size() - 1).maxTime());
    }

    @Test
    void splitCountFollowsTargetSize() throws Exception {
        List<ParquetFileEntry> in = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            in.add(files.write(i + 1, CPU, KEY, series(i * 10, i)));
        }
        long bytes = in.stream().mapToLong(ParquetFileEntry::sizeBytes).sum();
        assertEquals(2, merger.merge(files.plan(in, bytes / 2 + 1)).outputs().size());
        assertEquals(1, merger.merge(files.plan(in, bytes)).outputs().size());
    }

    @Test
    void duplicateKeysInsideOneFileOutsideAnyOverlapPassThroughAsTheServerReadsThem() throws Exception {
        // Core never writes this. The server does not de-duplicate within a file, so such rows are copied as they
        // are (the query results stay what they were); only where inputs overlap can a merge create or remove one.
        ParquetFileEntry dup = files.write(1, CPU, KEY, List.of(
                Arrays.asList("a", "eu", 1.0, 1L, T0), Arrays.asList("a", "eu", 2.0, 2L, T0)));
        ParquetFileEntry other = files.write(2, CPU, KEY, List.of(Arrays.asList("a", "eu", 1.0, 1L, T0 + MINUTE)));
        MergeResult r = merger.merge(files.plan(List.of(dup, other)));
        assertEquals(3, r.outputRows());
    }

    @Test
    void duplicateKeysInsideAnOverlapAreMergedToOneRow() throws Exception {
        ParquetFileEntry dup = files.write(1, CPU, KEY, List.of(
                Arrays.asList("a", "eu", 1.0, 1L, T0), Arrays.asList("a", "eu", 2.0, 2L, T0)));
        ParquetFileEntry other = files.write(2, CPU, KEY, List.of(Arrays.asList("a", "eu", 3.0, null, T0)));
        MergeResult r = merger.merge(files.plan(List.of(dup, other)));
        assertEquals(1, r.outputRows());
    }

    @Test
    void corruptDataPageIsBlamedOnItsFile() throws Exception {
        List<List<Object>> rows = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            rows.add(Arrays.asList("h" + (i % 50), "r" + i, Math.random(), (long) i, T0 + i));
        }
        ParquetFileEntry good = files.write(1, CPU, KEY, series(0, 1.0));
        ParquetFileEntry bad = files.write(2, CPU, KEY, rows);
        Path p = dataDir.resolve(bad.path());
        byte[] bytes = Files.readAllBytes(p);
        for (int i = 4; i < bytes.length / 2; i++) {
            bytes[i] = (byte) (i * 31);
        }
        Files.write(p, bytes); // footer intact: size and row count still match the entry
        MergeException ex = assertThrows(MergeException.class, () -> merger.merge(files.plan(List.of(good, bad))));
        assertTrue(ex.getMessage().contains(p + ": unreadable data"), ex.getMessage());
    }

    /**
     * Merging a table's plans ahead (two at once when small, as with hourly windows) gives each plan exactly what
     * merging it alone gives, in plan order; a plan with a bad input fails on its own; outputs nobody took are
     * deleted on close.
     */
    @Test
    void mergeAheadGivesWhatEachPlanMergedAloneGives() throws Exception {
        List<CompactionPlan> plans = new ArrayList<>();
        for (int p = 0; p < 5; p++) {
            ParquetFileEntry older = files.write(10 * p + 1, CPU, KEY, series(p * 60, p));
            // minutes 3..12 of b/us: 3..9 upsert the older file (newer usage; NULL count keeps the older one),
            // 10..12 are new
            List<List<Object>> late = new ArrayList<>();
            for (int m = 3; m < 13; m++) {
                late.add(Arrays.asList("b", "us", 100.0 + m, null, T0 + (p * 60 + m) * MINUTE));
            }
            plans.add(files.plan(List.of(older, files.write(10 * p + 2, CPU, KEY, late))));
        }
        ParquetFileEntry broken = files.write(99, CPU, KEY, series(400, 9.0));
        Files.write(dataDir.resolve(broken.path()), new byte[(int) broken.sizeBytes()]); // same size, no footer
        plans.add(2, files.plan(List.of(files.write(98, CPU, KEY, series(300, 8.0)), broken)));

        merger.checkInputs(dataDir, plans.stream().filter(p -> !p.inputs().contains(plans.get(2).inputs().get(1)))
                .flatMap(p -> p.inputs().stream()).map(i -> i.entry()).toList());
        List<List<String>> ahead = new ArrayList<>();
        try (MergeAhead m = merger.mergeAhead(plans)) {
            assertEquals(2, m.parallel(), "small plans merge two at once");
            for (CompactionPlan plan : plans) {
                if (plan == plans.get(2)) {
                    MergeException e = assertThrows(MergeException.class, () -> m.take(plan));
                    assertTrue(e.getMessage().contains(broken.path()), e.getMessage());
                    continue;
                }
                MergeResult r = m.take(plan);
                assertEquals(1, r.outputs().size());
                ahead.add(files.rows(r.outputs().get(0).tmpFile()));
                Files.delete(r.outputs().get(0).tmpFile());
            }
        }
        List<List<String>> alone = new ArrayList<>();
        for (CompactionPlan plan : plans) {
            if (plan != plans.get(2)) {
                MergeResult r = merger.merge(plan);
                alone.add(files.rows(r.outputs().get(0).tmpFile()));
                assertEquals(43, r.outputRows(), "40 keys, 7 of them upserted, plus 3 new ones");
                Files.delete(r.outputs().get(0).tmpFile());
            }
        }
        assertEquals(alone, ahead);
        assertTrue(ahead.get(0).contains("b|us|103.0|3|" + (T0 + 3 * MINUTE)), ahead.get(0).toString());

        try (MergeAhead m = merger.mergeAhead(plans)) {
            m.take(plans.get(0)).outputs().forEach(o -> assertTrue(Files.exists(o.tmpFile())));
        } // plans 1.. were merging or queued: their outputs must not stay behind
        try (Stream<Path> left = Files.list(tmpDir)) {
            List<Path> parquet = left.filter(f -> f.toString().endsWith(".parquet")).toList();
            assertEquals(1, parquet.size(), "only the taken plan's output: " + parquet);
        }
    }
}
