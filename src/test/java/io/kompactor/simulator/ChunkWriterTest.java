package io.kompactor.simulator;

import io.kompactor.parquet.ColumnSpec;
import io.kompactor.parquet.InfluxType;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Buffer chunks and their de-duplication and order
 * (docs/format.md, "Layout of a data dir", "Parquet files written by Core").
 */
class ChunkWriterTest {
    @Test
    void chunkTimeTruncatesTowardZeroAsRustDoes() {
        assertEquals(600, WriteBuffer.chunkTime(601, 600));
        assertEquals(0, WriteBuffer.chunkTime(-1, 600), "-1 - (-1 % 600) = 0");
        assertEquals(-600, WriteBuffer.chunkTime(-601, 600));
    }

    @Test
    void rowsAreDeduplicatedLastNonNullWinsAndSortedBySeriesKeyNullsFirstThenTime() {
        TableDef def = new TableDef("db", "t", new TableRef(0, 0), List.of(new ColumnSpec("host", InfluxType.TAG),
                new ColumnSpec("v", InfluxType.FLOAT), new ColumnSpec("s", InfluxType.STRING),
                new ColumnSpec("time", InfluxType.TIME)));
        List<Row> rows = List.of(
                new Row(Map.of("host", "z"), Map.of("v", 1.0, "s", "first"), 5),
                new Row(Map.of("host", "\uD83D\uDE00"), Map.of("v", 9.0), 1),   // a code point above U+FFFF
                new Row(Map.of("host", "\uFFFD"), Map.of("v", 8.0), 1),          // sorts before it by code point
                new Row(Map.of(), Map.of("v", 7.0), 3),
                new Row(Map.of("host", "z"), Map.of("v", 2.0), 5),
                new Row(Map.of("host", "z"), Map.of("v", 0.5), 4));
        List<String> out = ChunkWriter.deduplicate(def, rows).stream().map(Arrays::toString).toList();
        assertEquals(List.of("[null, 7.0, null, 3]", "[z, 0.5, null, 4]", "[z, 2.0, first, 5]",
                "[\uFFFD, 8.0, null, 1]", "[\uD83D\uDE00, 9.0, null, 1]"), out);
    }

    @Test
    void aValueOfAnotherTypeThanTheColumnsIsRejected() {
        Catalog c = new Catalog();
        c.prepareWrite("db", "t", List.of(new Row(Map.of(), Map.of("v", 1.0), 0)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> c.prepareWrite("db", "t", List.of(new Row(Map.of(), Map.of("v", 1L), 0))));
        assertTrue(e.getMessage().contains("FLOAT"), e.getMessage());
        assertEquals(List.of("v", "time"), c.table("db", "t").orElseThrow().columns().stream().map(ColumnSpec::name).toList());
    }
}
