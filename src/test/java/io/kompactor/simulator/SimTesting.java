package io.kompactor.simulator;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Small points, clocks and views shared by the simulator tests. */
final class SimTesting {
    static final Instant T0 = Instant.parse("2025-01-26T00:00:00Z");
    static final Duration GEN1 = Duration.ofMinutes(10);

    private SimTesting() {
    }

    /** HTTP off (the HTTP tests switch it on), everything else at the server's defaults. */
    static SimulatorOptions.Builder options() {
        return SimulatorOptions.builder("node0").http(false);
    }

    /** {@code n} points of host {@code host}, 30 s apart from {@code start}, with all five field types. */
    static List<Row> points(Instant start, int n, String host, double base) {
        List<Row> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("usage", base + i);
            fields.put("count", (long) i);
            fields.put("bytes", BigInteger.TWO.pow(63).add(BigInteger.valueOf(i)));
            fields.put("status", i % 2 == 0 ? "ok" : "überlastet");
            fields.put("up", i % 3 != 0);
            out.add(new Row(Map.of("host", host, "region", "eu"), fields, ns(start.plusSeconds(30L * i))));
        }
        return out;
    }

    /** One point with only the given fields set: an upsert that leaves the other fields as they were. */
    static Row point(String host, Instant t, Map<String, Object> fields) {
        return new Row(Map.of("host", host, "region", "eu"), fields, ns(t));
    }

    static long ns(Instant t) {
        return NodePaths.epochNs(t);
    }

    /** Per table key, the (id, path) pairs listed: what two listings must share to list the same files. */
    static Map<String, Set<String>> ids(FileListing listing) {
        Map<String, Set<String>> out = new TreeMap<>();
        listing.byTable().forEach((t, files) -> out.put(t.key(),
                files.stream().map(f -> f.id() + " " + f.path()).collect(Collectors.toCollection(TreeSet::new))));
        return out;
    }

    /** File names under {@code dir}, relative and sorted; empty if it does not exist. */
    static List<String> tree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString()).sorted().toList();
        }
    }
}
