package io.kompactor.parquet;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.kompactor.parquet.InfluxType.*;
import static org.junit.jupiter.api.Assertions.*;

class CoreParquetWriterTest {

    static final List<ColumnSpec> COLUMNS = List.of(
            new ColumnSpec("host", TAG), new ColumnSpec("usage", FLOAT), new ColumnSpec("count", INTEGER),
            new ColumnSpec("bytes", UINTEGER), new ColumnSpec("status", STRING), new ColumnSpec("ok", BOOLEAN),
            new ColumnSpec("time", TIME));

    static Connection c;

    @BeforeAll
    static void open() throws Exception {
        c = DuckDb.openLight();
    }

    @AfterAll
    static void close() throws Exception {
        c.close();
    }

    @Test
    void writesCoreTypesAndKeepsValuesExact(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("a.parquet");
        BigInteger max = new BigInteger("18446744073709551615");
        List<List<Object>> rows = List.of(
                // not sorted on purpose: rows are written as given
                Arrays.asList("b", 1.5, 7L, max, "up", true, 1_735_689_600_123_456_789L),
                Arrays.asList("a", null, -3L, -1L /* unsigned 2^64-1 */, null, false, 1_735_689_600_000_000_001L),
                Arrays.asList(null, 2.0, null, BigInteger.valueOf(5), "x", null, 1_735_689_600_000_000_002L));
        new CoreParquetWriter().writeRows(c, out, COLUMNS, List.of("host"), rows);

        assertFalse(Files.exists(tmp.resolve("a.parquet.inprogress")));
        Map<String, String[]> schema = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT name, duckdb_type, repetition_type, converted_type FROM parquet_schema(?)")) {
            ps.setString(1, out.toString());
            try (ResultSet r = ps.executeQuery()) {
                while (r.next()) {
                    schema.put(r.getString(1), new String[]{r.getString(2), r.getString(3), r.getString(4)});
                }
            }
        }
        assertEquals("TIMESTAMP_NS", schema.get("time")[0]);
        assertEquals("REQUIRED", schema.get("time")[1]);
        assertEquals("UBIGINT", schema.get("bytes")[0]);
        assertEquals("UINT_64", schema.get("bytes")[2]);
        assertEquals("VARCHAR", schema.get("host")[0]);
        assertEquals("OPTIONAL", schema.get("usage")[1]);

        List<String> got = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT host, usage, count, bytes::VARCHAR, status, ok, epoch_ns(time) "
                        + "FROM read_parquet(?, file_row_number = true) ORDER BY file_row_number")) {
            ps.setString(1, out.toString());
            try (ResultSet r = ps.executeQuery()) {
                while (r.next()) {
                    StringBuilder b = new StringBuilder();
                    for (int i = 1; i <= 7; i++) {
                        b.append(r.getString(i)).append(i < 7 ? "|" : "");
                    }
                    got.add(b.toString());
                }
            }
        }
        assertEquals(List.of(
                "b|1.5|7|18446744073709551615|up|true|1735689600123456789",
                "a|null|-3|18446744073709551615|null|false|1735689600000000001",
                "null|2.0|null|5|x|null|1735689600000000002"), got);

        ArrowSchemaInfo info = ArrowSchemas.decode(ArrowSchemasTest.arrowSchemaOf(c, out));
        assertEquals(COLUMNS, info.columns());
        assertEquals(List.of("host"), info.seriesKey());
    }

    @Test
    void writeFromSelectProducesRequiredTimeAndFooterFacts(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("gen.parquet");
        List<ColumnSpec> cols = List.of(new ColumnSpec("host", TAG), new ColumnSpec("v", FLOAT),
                new ColumnSpec("time", TIME));
        new CoreParquetWriter().writeFromSelect(c, out, cols, List.of("host"),
                "SELECT 'h' || (i % 10), i * 0.5, make_timestamp_ns(1000 + i) FROM range(250000) t(i) "
                        + "ORDER BY 1, 3");
        ParquetFacts f = new ParquetInspector().inspect(c, out);
        assertEquals(250_000, f.rowCount());
        assertEquals(1000L, f.minTime());
        assertEquals(1000L + 249_999, f.maxTime());
        assertEquals(Files.size(out), f.sizeBytes());
        assertEquals(List.of(new ParquetColumn("host", "VARCHAR"), new ParquetColumn("v", "DOUBLE"),
                new ParquetColumn("time", "TIMESTAMP_NS")), f.columns());
        assertTrue(new ParquetInspector().timeColumn(c, out).required());
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT count(*), max(num_values) FROM parquet_metadata(?) WHERE path_in_schema = 'time'")) {
            ps.setString(1, out.toString());
            try (ResultSet r = ps.executeQuery()) {
                r.next();
                assertEquals(3, r.getInt(1), "row groups of ~100k rows");
            }
        }
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT count(*) FROM (SELECT host < lag(host) OVER (ORDER BY file_row_number) AS bad "
                        + "FROM read_parquet(?, file_row_number = true)) WHERE bad")) {
            ps.setString(1, out.toString());
            try (ResultSet r = ps.executeQuery()) {
                r.next();
                assertEquals(0, r.getInt(1), "rows keep the ORDER BY of the select");
            }
        }
    }

    @Test
    void nullTimeIsRejected(@TempDir Path tmp) {
        List<List<Object>> rows = List.of(Arrays.asList("a", 1.0, 1L, 1L, "s", true, null));
        assertThrows(IllegalArgumentException.class,
                () -> new CoreParquetWriter().writeRows(c, tmp.resolve("x.parquet"), COLUMNS, List.of(), rows));
        assertFalse(Files.exists(tmp.resolve("x.parquet")));
    }
}
