package io.kompactor.parquet;

import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static io.kompactor.parquet.InfluxType.*;
import static org.junit.jupiter.api.Assertions.*;

class ArrowSchemasTest {

    static final Path FIXTURES = Path.of("/work/shared/fixtures/datadirs");

    static final List<ColumnSpec> ALL_TYPES = List.of(
            new ColumnSpec("region", TAG), new ColumnSpec("host", TAG), new ColumnSpec("usage", FLOAT),
            new ColumnSpec("count", INTEGER), new ColumnSpec("bytes", UINTEGER), new ColumnSpec("status", STRING),
            new ColumnSpec("ok", BOOLEAN), new ColumnSpec("time", TIME));

    @Test
    void seriesKeyV2MatchesCoreExample() {
        assertEquals("CQAAAHJlZ2lvbi91cwQAAABob3N0", ArrowSchemas.seriesKeyV2(List.of("region/us", "host")));
        assertEquals(List.of("region/us", "host"), ArrowSchemas.decodeSeriesKeyV2("CQAAAHJlZ2lvbi91cwQAAABob3N0"));
        assertEquals("", ArrowSchemas.seriesKeyV2(List.of()));
        assertEquals(List.of("ünï"), ArrowSchemas.decodeSeriesKeyV2(ArrowSchemas.seriesKeyV2(List.of("ünï"))));
    }

    @Test
    void encodeDecodeRoundTrip() {
        String key = ArrowSchemas.seriesKeyV2(List.of("host", "region"));
        String b64 = ArrowSchemas.encode(ALL_TYPES, Map.of(ArrowSchemas.SERIES_KEY_V2, key));
        byte[] raw = Base64.getDecoder().decode(b64);
        // arrow-rs framing: continuation marker, then the little-endian length of the message
        assertArrayEquals(new byte[]{-1, -1, -1, -1}, java.util.Arrays.copyOf(raw, 4));

        ArrowSchemaInfo info = ArrowSchemas.decode(b64);
        assertEquals(ALL_TYPES, info.columns());
        assertEquals(List.of("host", "region"), info.seriesKey());
        assertEquals(Map.of(ArrowSchemas.SERIES_KEY_V2, key), info.schemaMetadata());
        assertEquals(List.of("region", "host"), info.tagColumns());
    }

    @Test
    void encodeUsesCoreArrowTypes() {
        List<Field> fields = ArrowSchemas.parse(ArrowSchemas.encode(ALL_TYPES, Map.of())).fields();
        Set<Long> dictIds = new HashSet<>();
        for (Field f : fields.subList(0, 2)) { // the tags
            assertNotNull(f.getDictionary(), f.getName());
            assertEquals(new ArrowType.Int(32, true), f.getDictionary().getIndexType());
            assertFalse(f.getDictionary().isOrdered());
            assertEquals(ArrowType.Utf8.INSTANCE, f.getType());
            assertTrue(f.isNullable());
            dictIds.add(f.getDictionary().getId());
        }
        assertEquals(2, dictIds.size(), "each tag needs its own dictionary id");
        assertEquals(new ArrowType.FloatingPoint(org.apache.arrow.vector.types.FloatingPointPrecision.DOUBLE),
                fields.get(2).getType());
        assertEquals(new ArrowType.Int(64, true), fields.get(3).getType());
        assertEquals(new ArrowType.Int(64, false), fields.get(4).getType());
        assertEquals(ArrowType.Utf8.INSTANCE, fields.get(5).getType());
        assertNull(fields.get(5).getDictionary());
        assertEquals(ArrowType.Bool.INSTANCE, fields.get(6).getType());
        Field time = fields.get(7);
        assertEquals(new ArrowType.Timestamp(TimeUnit.NANOSECOND, null), time.getType());
        assertFalse(time.isNullable());
        for (int i = 0; i < fields.size(); i++) {
            assertEquals(ALL_TYPES.get(i).type().ioxColumnType(), fields.get(i).getMetadata().get("iox::column::type"));
        }
    }

    @Test
    void seriesKeyFallsBackToV1ThenEmpty() {
        String v1 = ArrowSchemas.encode(ALL_TYPES, Map.of(ArrowSchemas.SERIES_KEY_V1, "region/host"));
        assertEquals(List.of("region", "host"), ArrowSchemas.decode(v1).seriesKey());
        String both = ArrowSchemas.encode(ALL_TYPES, Map.of(ArrowSchemas.SERIES_KEY_V1, "region/host",
                ArrowSchemas.SERIES_KEY_V2, ArrowSchemas.seriesKeyV2(List.of("host"))));
        assertEquals(List.of("host"), ArrowSchemas.decode(both).seriesKey());
        assertEquals(List.of(), ArrowSchemas.decode(ArrowSchemas.encode(ALL_TYPES, Map.of())).seriesKey());
    }

    @Test
    void fromIoxColumnType() {
        for (InfluxType t : InfluxType.values()) {
            assertEquals(t, InfluxType.fromIoxColumnType(t.ioxColumnType()));
        }
        assertEquals("iox::column_type::field::uinteger", UINTEGER.ioxColumnType());
        assertEquals("UBIGINT", UINTEGER.duckdbType());
        assertThrows(IllegalArgumentException.class, () -> InfluxType.fromIoxColumnType("iox::column_type::x"));
    }

    @Test
    void garbageIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> ArrowSchemas.decode("bm90IGFuIGFycm93IHNjaGVtYQ=="));
    }

    @Test
    void decodesFixtureSchemasWrittenByArrowRs(@TempDir Path tmp) throws Exception {
        try (Connection c = DuckDb.openLight()) {
            for (String era : List.of("core-3.6", "core-3.9")) {
                Path f = copyFirstFixture(era, "0/0", tmp);
                ArrowSchemaInfo info = ArrowSchemas.decode(arrowSchemaOf(c, f));
                assertEquals(List.of("host", "region"), info.seriesKey(), era);
                assertTrue(info.schemaMetadata().containsKey(ArrowSchemas.SERIES_KEY_V2), era);
                Map<String, InfluxType> types = new java.util.HashMap<>();
                info.columns().forEach(cs -> types.put(cs.name(), cs.type()));
                assertEquals(TAG, types.get("host"));
                assertEquals(TAG, types.get("region"));
                assertEquals(FLOAT, types.get("usage_user"));
                assertEquals(INTEGER, types.get("count"));
                assertEquals(BOOLEAN, types.get("up"));
                assertEquals(TIME, types.get("time"));
                // and the tags really are Dictionary(Int32, Utf8) in what arrow-rs wrote
                Field host = ArrowSchemas.parse(arrowSchemaOf(c, f)).fields().get(0);
                assertEquals("host", host.getName());
                assertNotNull(host.getDictionary());
                assertEquals(new ArrowType.Int(32, true), host.getDictionary().getIndexType());
            }
            // 3.0 wrote no series key; its mem table has a uinteger field
            Path mem = copyFirstFixture("core-3.0", "db0-0/mem-2", tmp);
            ArrowSchemaInfo info = ArrowSchemas.decode(arrowSchemaOf(c, mem));
            assertEquals(List.of(), info.seriesKey());
            assertEquals(List.of("host"), info.tagColumns());
            assertTrue(info.columns().contains(new ColumnSpec("free", UINTEGER)), info.toString());
        }
    }

    static Path copyFirstFixture(String era, String table, Path tmp) throws Exception {
        Path dir = FIXTURES.resolve(era).resolve("node0/dbs").resolve(table);
        Path src;
        try (Stream<Path> s = Files.walk(dir)) {
            src = s.filter(p -> p.toString().endsWith(".parquet")).sorted().findFirst().orElseThrow();
        }
        Path dst = tmp.resolve(era + "-" + src.getFileName());
        Files.copy(src, dst);
        return dst;
    }

    static String arrowSchemaOf(Connection c, Path file) throws Exception {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT decode(value) FROM parquet_kv_metadata(?) WHERE decode(key) = 'ARROW:schema'")) {
            ps.setString(1, file.toString());
            try (ResultSet r = ps.executeQuery()) {
                assertTrue(r.next(), "no ARROW:schema in " + file);
                return r.getString(1);
            }
        }
    }
}
