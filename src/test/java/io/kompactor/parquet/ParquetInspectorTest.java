package io.kompactor.parquet;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.Arrays;
import java.util.List;

import static io.kompactor.parquet.InfluxType.*;
import static org.junit.jupiter.api.Assertions.*;

class ParquetInspectorTest {

    static final List<ColumnSpec> COLUMNS = List.of(
            new ColumnSpec("host", TAG), new ColumnSpec("v", FLOAT), new ColumnSpec("time", TIME));

    static Connection c;
    final ParquetInspector inspector = new ParquetInspector();

    @BeforeAll
    static void open() throws Exception {
        c = DuckDb.openLight();
    }

    @AfterAll
    static void close() throws Exception {
        c.close();
    }

    Path write(Path dir, String name, List<List<Object>> rows) throws Exception {
        Path p = dir.resolve(name);
        new CoreParquetWriter().writeRows(c, p, COLUMNS, List.of("host"), rows);
        return p;
    }

    @Test
    void readsFooterFacts(@TempDir Path tmp) throws Exception {
        Path p = write(tmp, "f.parquet", List.of(
                Arrays.asList("a", 1.0, 1_700_000_000_000_000_007L),
                Arrays.asList("b", null, 1_700_000_000_999_999_999L)));
        ParquetFacts f = inspector.inspect(c, p);
        assertEquals(p, f.file());
        assertEquals(2, f.rowCount());
        assertEquals(Files.size(p), f.sizeBytes());
        assertEquals(1_700_000_000_000_000_007L, f.minTime());
        assertEquals(1_700_000_000_999_999_999L, f.maxTime());
        assertEquals(List.of("host", "v", "time"), f.columnNames());
        assertEquals("TIMESTAMP_NS", f.column("time").orElseThrow().duckdbType());
        assertEquals(COLUMNS, ArrowSchemas.decode(f.arrowSchemaBase64()).columns());
    }

    @Test
    void zeroRowFileHasNoTimeRange(@TempDir Path tmp) throws Exception {
        ParquetFacts f = inspector.inspect(c, write(tmp, "empty.parquet", List.of()));
        assertEquals(0, f.rowCount());
        assertNull(f.minTime());
        assertNull(f.maxTime());
    }

    @Test
    void fileWithoutArrowSchema(@TempDir Path tmp) throws Exception {
        Path p = tmp.resolve("plain.parquet");
        try (var s = c.createStatement()) {
            s.execute("COPY (SELECT 'a' AS host, make_timestamp_ns(5) AS time) TO '" + p + "' (FORMAT parquet)");
        }
        ParquetFacts f = inspector.inspect(c, p);
        assertNull(f.arrowSchemaBase64());
        assertEquals(5L, f.minTime());
    }

    @Test
    void brokenFilesAreNamedAndExplained(@TempDir Path tmp) throws Exception {
        Path good = write(tmp, "good.parquet", List.of(Arrays.asList("a", 1.0, 5L)));
        byte[] bytes = Files.readAllBytes(good);

        Path truncated = tmp.resolve("truncated.parquet");
        Files.write(truncated, Arrays.copyOf(bytes, bytes.length / 2));
        assertMessage(truncated, "not a parquet file (truncated or corrupt: no magic bytes at end)");

        Path empty = Files.createFile(tmp.resolve("empty.parquet"));
        assertMessage(empty, "0-byte file");

        assertMessage(tmp.resolve("missing.parquet"), "file not found");

        Path tiny = tmp.resolve("tiny.parquet");
        Files.write(tiny, new byte[]{'P', 'A', 'R'});
        assertMessage(tiny, "not a parquet file");

        // the statement failures above must not poison the connection
        // (docs/architecture.md, "DuckDB facts the merge relies on")
        assertEquals(1, inspector.inspect(c, good).rowCount());
    }

    private void assertMessage(Path file, String problem) {
        ParquetFileException e = assertThrows(ParquetFileException.class, () -> inspector.inspect(c, file));
        assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(problem), e.getMessage());
    }
}
