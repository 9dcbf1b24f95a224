package io.kompactor.testing;

import io.kompactor.simulator.InfluxDb3Simulator;
import io.kompactor.simulator.Ledger;
import io.kompactor.simulator.Row;
import io.kompactor.simulator.SimClock;
import io.kompactor.simulator.SimulatorOptions;

import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The live-server stand-in of the daemon tests: the server simulator (docs/format.md,
 * "How a restarting server loads files", "What a running server writes later") on a simulated clock, with a small
 * workload — a few series of two tables written every 10 minutes, some points late and some upserting — and the ledger
 * of everything it ever persisted, for the expected query results.
 */
public final class LiveServer implements AutoCloseable {
    public static final String HOST = "node0";
    private final SimClock clock;
    private final InfluxDb3Simulator sim;
    private final Path ledger;
    private int written;

    private LiveServer(SimClock clock, InfluxDb3Simulator sim, Path ledger) {
        this.clock = clock;
        this.sim = sim;
        this.ledger = ledger;
    }

    /** A server on {@code dataDir} at {@code start}, with the options given (HTTP on, a ledger beside the data dir). */
    public static LiveServer start(Path dataDir, Instant start, SimulatorOptions.Builder options) {
        SimClock clock = new SimClock(start);
        Path ledger = dataDir.resolveSibling(dataDir.getFileName() + "-ledger");
        InfluxDb3Simulator sim = InfluxDb3Simulator.start(dataDir, options.ledger(ledger).build(), clock);
        return new LiveServer(clock, sim, ledger);
    }

    public static SimulatorOptions.Builder options() {
        return SimulatorOptions.builder(HOST).http(true);
    }

    public InfluxDb3Simulator sim() {
        return sim;
    }

    public SimClock clock() {
        return clock;
    }

    /**
     * {@code buckets} gen1 periods of writes from the current time: each period 6 points for each of 3 series of
     * tables {@code cpu} and {@code mem}, then a snapshot; every third period also a late point into the period two
     * before it, upserting a key with a new value.
     */
    public void writeAndPersist(int buckets) {
        for (int b = 0; b < buckets; b++) {
            Instant t = clock.get();
            for (String table : List.of("cpu", "mem")) {
                List<Row> rows = new ArrayList<>();
                for (int s = 0; s < 3; s++) {
                    for (int i = 0; i < 6; i++) {
                        rows.add(row("host" + s, t.plusSeconds(i * 100L), written + i + s * 0.5));
                    }
                }
                if (written % 3 == 2) {
                    rows.add(row("host1", t.minus(Duration.ofMinutes(20)), -1.0 * written));
                }
                sim.write("db0", table, rows);
            }
            written++;
            clock.advance(Duration.ofMinutes(10));
            sim.persistSnapshot();
        }
    }

    private static Row row(String host, Instant t, double v) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("usage", v);
        fields.put("count", (long) (v * 10));
        fields.put("big", BigInteger.TWO.pow(63).add(BigInteger.valueOf((long) Math.abs(v))));
        fields.put("state", v < 0 ? "late" : "ok");
        fields.put("up", v >= 0);
        return new Row(Map.of("host", host, "dc", "eu"), fields, t.getEpochSecond() * 1_000_000_000L + t.getNano());
    }

    /** What a query returns for every table written so far, whatever happened to the files since. */
    public Map<String, TableRows> expectedRows() {
        return new ServerOracle().rowsOf(Ledger.open(ledger).filesByTable(), "the ledger");
    }

    @Override
    public void close() {
        sim.close();
    }
}
