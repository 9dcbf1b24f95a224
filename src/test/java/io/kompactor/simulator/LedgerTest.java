package io.kompactor.simulator;

import io.kompactor.testing.ServerOracle;
import io.kompactor.testing.TableRows;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.kompactor.simulator.SimTesting.GEN1;
import static io.kompactor.simulator.SimTesting.T0;
import static io.kompactor.simulator.SimTesting.point;
import static io.kompactor.simulator.SimTesting.points;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The ledger's expected result is what the referee reads from an untouched data dir after a restart. */
class LedgerTest {
    @TempDir
    Path tmp;

    @Test
    void expectedRowsEqualTheOraclesRowsOfTheUntouchedDataDir() {
        Path dir = tmp.resolve("d");
        SimClock clock = new SimClock(T0);
        try (InfluxDb3Simulator sim = InfluxDb3Simulator.start(dir,
                SimTesting.options().ledger(tmp.resolve("ledger")).build(), clock)) {
            sim.write("db0", "cpu", points(T0, 5, "a", 0));
            sim.write("db0", "cpu", points(T0, 3, "b", 10));
            sim.write("db1", "mem", points(T0, 4, "a", 20));
            clock.advance(GEN1);
            sim.persistSnapshot();

            List<Row> late = new ArrayList<>();
            // Upserts into the first bucket, persisted by a later snapshot: a second file in the same directory.
            late.add(point("a", T0, Map.of("usage", 99.5)));
            late.add(point("a", T0.plusSeconds(30), Map.of("status", "spät", "count", 7L)));
            // Two writes of one key in one batch: one row in the file, last non-null value per field.
            late.add(point("b", T0.plusSeconds(30), Map.of("usage", 1.0, "count", 5L)));
            late.add(point("b", T0.plusSeconds(30), Map.of("usage", 2.0)));
            // Schema growth, a new series, and a point in the next bucket.
            late.add(point("c", T0.plusSeconds(60), Map.of("temp", 21.5)));
            late.add(point("a", T0.plus(GEN1), Map.of("usage", 3.0)));
            sim.write("db0", "cpu", late);
            clock.advance(GEN1);
            sim.persistSnapshot();
            sim.restart();

            Map<String, TableRows> actual = new ServerOracle().load(dir, "node0");
            Map<String, TableRows> expected = new ServerOracle().rowsOf(sim.ledger().orElseThrow().filesByTable(), "ledger");
            ServerOracle.assertSameResults(expected, actual, "ledger vs a restarted server");
            assertEquals(10, actual.get("0/0").rowCount());
            assertEquals(10, sim.expectedRowCount("db0", "cpu"));
            assertEquals(4, sim.expectedRowCount("db1", "mem"));
            assertTrue(actual.get("0/0").rows().contains(
                    "bytes=9223372036854775808, count=0, host=a, region=eu, status=ok, time=" + SimTesting.ns(T0)
                            + ", up=false, usage=99.5"), actual.get("0/0").rows().toString());

            SimStats stats = sim.stats();
            assertEquals(List.of(2L, 4L, 18L), List.of(stats.snapshots(), stats.files(), stats.rowsReceived()));
            assertEquals(17, stats.rowsPersisted(), "the doubled key is one row");
            assertEquals(2L, stats.filesPerWindow().get(new TableWindow(new TableRef(0, 0), SimTesting.ns(T0))));
        }
        // A new simulator on the same ledger continues it.
        assertEquals(4, Ledger.open(tmp.resolve("ledger")).entries().size());
        assertTrue(Files.isRegularFile(Ledger.open(tmp.resolve("ledger")).entries().get(3).copy()));
    }
}
