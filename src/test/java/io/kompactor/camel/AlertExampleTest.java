package io.kompactor.camel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kompactor.deadletter.DeadLetter;
import io.kompactor.deadletter.DeadLetterStore;
import io.kompactor.commit.StateDir;
import io.kompactor.plan.CompactionPlan;
import io.kompactor.plan.Planner;
import io.kompactor.plan.PlannerOptions;
import io.kompactor.snapshot.HostMetadata;
import io.kompactor.testing.Fixtures;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's alert example, exactly as printed, in a copy of the shipped routes: every dead letter becomes one valid
 * JSON file, whatever its message holds (quotes, backslashes, tabs, newlines).
 */
class AlertExampleTest {
    @TempDir
    Path tmp;

    @Test
    void readmeAlertExampleWritesValidJsonForAnyMessage() throws Exception {
        String example = readmeExample();
        Path spool = tmp.resolve("spool");
        Path routes = Files.createDirectories(tmp.resolve("routes"));
        try (Stream<Path> s = Files.list(Path.of("routes"))) {
            for (Path p : s.toList()) {
                Files.copy(p, routes.resolve(p.getFileName()));
            }
        }
        // the example's first steps are the shipped route's: it is added after them, nothing else changes
        String shipped = Files.readString(routes.resolve("dead-letter.camel.yaml"));
        String shippedSteps = example.substring(0, example.indexOf("        # new:"));
        assertTrue(shipped.contains(shippedSteps), "the README's example starts with the shipped route's steps");
        Files.writeString(routes.resolve("dead-letter.camel.yaml"), shipped.replace(shippedSteps,
                example.replace("/var/spool/kompactor-alerts", spool.toString())));

        Path data = Fixtures.copy("core-3.6", tmp.resolve("data"));
        CompactionPlan plan = new Planner(PlannerOptions.defaults(), Clock.systemUTC())
                .plan(HostMetadata.load(data, "node0")).plans().get(0);
        String nasty = "bad \"quoted\" value \\ back\\slash\tand a tab\nsecond line {\"json\": 1}";
        // the catch-up would compact the data dir meanwhile; an hour's rescan and a far settle keep it quiet
        KompactorApp app = TestDaemon.app(data).routes(routes.toString())
                .override("kompactor.settle", "100000d");
        try (TestDaemon d = TestDaemon.start(app, Map.of())) {
            d.context().createProducerTemplate().send("direct:dead-letter", e -> {
                e.setProperty(Exchange.EXCEPTION_CAUGHT, new IllegalStateException(nasty));
                e.setProperty(DeadLetterBean.PLAN_PROPERTY, plan);
                e.getIn().setBody(plan);
            });
            d.await("an alert file", Duration.ofSeconds(30), () -> files(spool).size() == 1);
        }
        DeadLetter record = new DeadLetterStore(StateDir.defaultFor(data)).list().get(0);
        JsonNode alert = new ObjectMapper().readTree(Files.readString(files(spool).get(0)));
        assertEquals(record.message(), alert.get("message").asText());
        assertTrue(alert.get("message").asText().contains("bad \"quoted\" value \\ back\\slash\tand a tab"),
                alert.toString());
        assertEquals(record.id(), alert.get("id").asText());
        assertEquals("node0", alert.get("host").asText());
        assertEquals("kompactor dead-lettered " + record, alert.get("text").asText());
        assertEquals(record.attempts(), alert.get("attempts").asInt());
    }

    private static List<Path> files(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".json")).toList();
        } catch (java.io.IOException e) {
            return List.of();
        }
    }

    /** The README's yaml block that writes alerts. */
    static String readmeExample() throws Exception {
        Matcher m = Pattern.compile("```yaml\n(.*?)```", Pattern.DOTALL).matcher(Files.readString(Path.of("README.md")));
        while (m.find()) {
            if (m.group(1).contains("kompactor-alerts")) {
                return m.group(1);
            }
        }
        throw new AssertionError("no alert example in README.md");
    }
}
