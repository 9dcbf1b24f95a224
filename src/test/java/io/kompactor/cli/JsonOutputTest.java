package io.kompactor.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kompactor.commit.StateDir;
import io.kompactor.deadletter.DeadLetter;
import io.kompactor.deadletter.DeadLetterStore;
import io.kompactor.plan.CompactionPlan;
import io.kompactor.plan.Planner;
import io.kompactor.plan.PlannerOptions;
import io.kompactor.snapshot.HostMetadata;
import io.kompactor.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every command that reports has --json: one document on stdout that parses, with what the text output says. */
class JsonOutputTest {
    @TempDir
    Path tmp;

    private static JsonNode json(CliRun run, int exitCode) throws Exception {
        assertEquals(exitCode, run.exitCode(), run::toString);
        return new ObjectMapper().readTree(run.out());
    }

    @Test
    void everyReportingCommandWritesJson() throws Exception {
        Path data = Fixtures.copy("core-3.6", tmp.resolve("d"));
        String d = data.toString();

        CliRun none = CliRun.of("rollback", d);
        assertTrue(none.out().startsWith("no compactions in "), none::toString);
        assertEquals(0, json(CliRun.of("rollback", d, "--json"), 0).get("transactions").size());

        // a dead letter of table 0/1, as `run` would have written it
        CompactionPlan plan = new Planner(PlannerOptions.defaults(), Clock.systemUTC()).plan(HostMetadata.load(data,
                "node0")).plans().stream().filter(p -> p.table().tableId() == 1 && p.table().dbId() == 0).findFirst()
                .orElseThrow();
        DeadLetterStore store = new DeadLetterStore(StateDir.defaultFor(data));
        String id = store.newId(Instant.now(), "node0", plan);
        store.write(DeadLetter.of(id, Instant.now(), d, "node0", plan, new IllegalStateException("disk \"hiccup\""), 4,
                "plan-host"));
        JsonNode list = json(CliRun.of("dead-letters", "list", d, "--json"), 0);
        assertEquals(1, list.get("dead_letters").size());
        JsonNode record = list.get("dead_letters").get(0);
        assertEquals(id, record.get("id").asText());
        assertEquals("disk \"hiccup\"", record.get("message").asText());
        assertEquals("0/1", record.get("table").asText());
        assertEquals(4, record.get("attempts").asInt());
        assertEquals(plan.inputs().size(), record.get("inputs").asInt());
        CliRun text = CliRun.of("dead-letters", "list", d);
        assertEquals(2, text.out().lines().count(), "one line per record and a total: " + text);
        JsonNode shown = json(CliRun.of("dead-letters", "show", d, id, "--json"), 0);
        assertEquals(id, shown.get("id").asText());
        assertEquals(plan.inputs().size(), shown.get("inputs").size());
        JsonNode retried = json(CliRun.of("dead-letters", "retry", d, id, "--json"), 0);
        assertTrue(retried.get("ok").asBoolean(), retried::toString);
        assertEquals(id, retried.get("results").get(0).get("id").asText());
        assertTrue(retried.get("results").get(0).get("tx").asText().length() > 10, retried::toString);
        assertEquals(1, retried.get("results").get(0).get("outputs").asInt());

        JsonNode compact = json(CliRun.of("compact", d, "--json"), 0);
        assertEquals(3, compact.get("summary").get("plans_committed").asInt(), compact::toString);

        JsonNode verify = json(CliRun.of("verify", d, "--json"), 0);
        assertTrue(verify.get("ok").asBoolean());
        assertEquals("node0", verify.get("hosts").get(0).get("host").asText());
        assertEquals(4, verify.get("hosts").get(0).get("files_checked").asInt());

        JsonNode txs = json(CliRun.of("rollback", d, "--hosts", "node0", "--json"), 0).get("transactions");
        assertEquals(4, txs.size());
        String tx = txs.get(3).get("tx").asText();
        assertEquals("2025-01-26T00:00:00Z", txs.get(3).get("windows").get(0).asText());
        assertEquals("RETIRED", txs.get(3).get("state").asText());
        JsonNode undone = json(CliRun.of("rollback", d, tx, "--json"), 0);
        assertEquals(tx, undone.get("tx").asText());
        assertEquals("ROLLED_BACK", undone.get("state").asText());
        assertTrue(undone.get("lines").get(0).asText().contains("rolled back"), undone::toString);

        JsonNode recover = json(CliRun.of("recover", d, "--json"), 0);
        assertTrue(recover.get("ok").asBoolean());
        assertTrue(recover.get("blocked").isEmpty());

        JsonNode gc = json(CliRun.of("gc", d, "--retention", "0", "--json"), 0);
        assertTrue(gc.get("retired_nothing_because").asText().contains("--restarted-at"), gc::toString);
        // the compactions and the rollback are finished; the retry's compaction keeps its originals (KEPT)
        assertEquals(4, gc.get("purged").size(), gc::toString);
        assertEquals(4, gc.get("transactions_acted_on").asInt());

        JsonNode demo = json(CliRun.of("demo", "--dir", tmp.resolve("demo").toString(), "--json"), 0);
        assertEquals(tmp.resolve("demo").toString(), demo.get("data_dir").asText());
        assertEquals(4, demo.get("compact").get("summary").get("plans_committed").asInt(), demo::toString);
        assertTrue(demo.get("verify").get("ok").asBoolean());
        assertEquals(4, demo.get("after").get("files").asInt());
        assertTrue(demo.get("before").get("files").asInt() > 4);
    }
}
