package io.kompactor.camel;

import io.kompactor.commit.CommitResult;
import io.kompactor.commit.TxState;
import io.kompactor.testing.Fixtures;
import org.apache.camel.ConsumerTemplate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Ops change settings in a properties file and add a step in a copied route file: both apply without a rebuild. */
class CustomisationTest {
    @TempDir
    Path tmp;

    @Test
    void propertiesFileAndRouteEditTakeEffect() throws Exception {
        Path data = Fixtures.copy("core-3.6", tmp.resolve("data"));
        Path config = tmp.resolve("my.properties");
        Files.writeString(config, "kompactor.window-hours = 1\nkompactor.hosts = node0\n");
        Path routes = Files.createDirectories(tmp.resolve("routes"));
        try (Stream<Path> s = Files.list(Path.of("routes"))) {
            for (Path p : s.toList()) {
                Files.copy(p, routes.resolve(p.getFileName()));
            }
        }
        Path compaction = routes.resolve("compaction.camel.yaml");
        String yaml = Files.readString(compaction);
        String commitStep = "        - bean:\n            ref: committer\n            method: commit\n";
        assertTrue(yaml.contains(commitStep));
        Files.writeString(compaction, yaml.replace(commitStep, commitStep
                + "        - to:\n            uri: seda\n            parameters:\n              name: ops-notify\n"));

        KompactorApp app = TestDaemon.app(data).config(config).routes(routes.toString());
        try (TestDaemon d = TestDaemon.start(app, Map.of())) {
            ConsumerTemplate consumer = d.context().createConsumerTemplate();
            CommitResult first = consumer.receiveBody("seda:ops-notify", 60_000, CommitResult.class);
            assertNotNull(first, "the added step saw a commit");
            assertEquals(3_600_000_000_000L, first.plan().windowEnd() - first.plan().windowStart(), "window-hours=1 applied");
            // fixture: 4 tables over 4 hours -> 16 one-hour windows
            d.await("16 hourly windows", Duration.ofSeconds(60), () -> d.count(TxState.KEPT) == 16);
            Set<Long> starts = new HashSet<>();
            d.journal().forEach(e -> e.groups().forEach(g -> starts.add(g.windowStart())));
            assertEquals(4, starts.size());
        }
    }
}
