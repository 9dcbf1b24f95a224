package io.kompactor.testing;

import io.kompactor.simulator.InfluxDb3Simulator;
import io.kompactor.simulator.SimulatorOptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A data dir whose files of one window are listed by the checkpoints of two months: the server files a snapshot under
 * the month it was persisted in (its mtime, docs/format.md, "Checkpoints"), so late or slow persists of the same data
 * land in the next month's checkpoint. The older half of the snapshots gets a January mtime, the newer half February;
 * then a 3.9 server start (the simulator) builds one checkpoint per month from them.
 */
public final class TwoMonths {
    private TwoMonths() {
    }

    public static Path write(Path dataDir, String host) {
        try (Stream<Path> s = Files.list(dataDir.resolve(host).resolve("snapshots"))) {
            List<Path> snapshots = s.sorted().toList(); // newest first (inverted sequence numbers)
            for (int i = 0; i < snapshots.size(); i++) {
                Instant t = Instant.parse(i < snapshots.size() / 2 ? "2025-02-01T00:10:00Z" : "2025-01-31T23:50:00Z");
                Files.setLastModifiedTime(snapshots.get(i), FileTime.from(t));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (InfluxDb3Simulator sim = InfluxDb3Simulator.start(dataDir, SimulatorOptions.builder(host).http(false)
                .tableIndex(false).build(), () -> Instant.parse("2025-02-01T01:00:00Z"))) {
            assertEquals(2, sim.checkpointsWrittenAtStart().size(), "one checkpoint per month");
            sim.crash(); // nothing more written
        }
        return dataDir;
    }
}
