package io.kompactor.camel;

import io.kompactor.commit.TxKind;
import io.kompactor.deadletter.DeadLetter;
import io.kompactor.deadletter.DeadLetterStore;
import io.kompactor.commit.StateDir;
import io.kompactor.demo.DemoDataDir;
import io.kompactor.demo.DemoSpec;
import io.kompactor.testing.DataDirAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * In `run`, a host whose metadata cannot be read is a dead letter of its own and a metric, left exactly as it was,
 * while the other hosts are compacted; once the file reads again the host resumes by itself.
 */
class BrokenHostDaemonTest {
    @TempDir
    Path tmp;

    @Test
    void aBrokenHostIsDeadLetteredAndResumesOnceRepaired() throws Exception {
        Path data = tmp.resolve("data");
        long start = Instant.parse("2025-01-26T00:00:00Z").toEpochMilli() * 1_000_000L;
        DemoDataDir.write(data, DemoSpec.defaults("alpha", start).withShape(1, 2, 8, 10));
        DemoDataDir.write(data, DemoSpec.defaults("beta", start).withShape(1, 2, 8, 10).withSeed(7));
        Path bad;
        try (Stream<Path> s = Files.list(data.resolve("alpha").resolve("snapshots"))) {
            bad = s.sorted().skip(2).findFirst().orElseThrow();
        }
        byte[] good = Files.readAllBytes(bad);
        Files.writeString(bad, "not json");
        Map<Path, String> alpha = DataDirAssertions.tree(data.resolve("alpha"));
        DeadLetterStore store = new DeadLetterStore(StateDir.defaultFor(data));
        try (TestDaemon d = TestDaemon.start(data)) {
            d.await("beta compacted and alpha dead-lettered", Duration.ofSeconds(60), () ->
                    d.journal().stream().filter(e -> e.kind() == TxKind.COMPACT && e.host().equals("beta")).count() == 2
                            && store.list().stream().anyMatch(x -> "alpha".equals(x.host())));
            DeadLetter dl = store.list().stream().filter(x -> "alpha".equals(x.host())).findFirst().orElseThrow();
            assertTrue(dl.message().contains(bad.toString()), dl.message());
            assertTrue(d.runtime().metrics().count("kompactor.dead.letters", "alpha") >= 1);
            DataDirAssertions.assertSameTree(alpha, DataDirAssertions.tree(data.resolve("alpha")), "alpha changed");
            // repaired: the next trigger (here the rewrite itself) plans alpha again; its record goes away
            Files.write(bad, good);
            d.await("alpha compacted once readable", Duration.ofSeconds(60), () ->
                    d.journal().stream().filter(e -> e.kind() == TxKind.COMPACT && e.host().equals("alpha")).count() == 2);
            d.await("the host's dead letter cleared", Duration.ofSeconds(10),
                    () -> store.list().stream().noneMatch(x -> "alpha".equals(x.host())));
        }
        assertEquals(List.of(), store.list());
    }
}
