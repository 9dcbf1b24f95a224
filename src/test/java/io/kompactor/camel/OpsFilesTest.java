package io.kompactor.camel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.kompactor.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A freshly started daemon exports every Kompactor series of every watched host at zero (an alert rule cannot see a
 * series before its first sample), and the shipped Grafana dashboard and Prometheus alert rules use only series it
 * exports.
 */
class OpsFilesTest {
    private static final Pattern METRIC = Pattern.compile("\\bkompactor_[a-z_]+\\b");
    static final List<String> COUNTERS = List.of("plans_planned", "plans_committed", "files_in", "files_out", "bytes_in",
            "bytes_out", "rows_in", "rows_out", "failures", "dead_letters", "originals_retired");

    @TempDir
    Path tmp;

    @Test
    void everySeriesExistsFromTheStartAndTheShippedDashboardAndAlertsUseOnlyExportedOnes() throws Exception {
        Path data = Fixtures.copy("core-3.6", tmp.resolve("data"));
        int port = TestDaemon.freePort();
        KompactorApp app = TestDaemon.withManagement(TestDaemon.app(data), port)
                .override("kompactor.settle", "100000d"); // nothing settles: no event of any kind
        String body;
        try (TestDaemon d = TestDaemon.start(app, Map.of())) {
            HttpResponse<String> metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/observe/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, metrics.statusCode());
            body = metrics.body();
        }
        for (String c : COUNTERS) {
            assertTrue(body.contains("kompactor_" + c + "_total{host=\"node0\"} 0.0"), c + " at zero:\n" + body);
        }
        assertTrue(body.contains("kompactor_last_commit_time_seconds{host=\"node0\"} 0.0"), body);

        Set<String> exported = new TreeSet<>();
        body.lines().filter(l -> !l.startsWith("#")).forEach(l -> {
            Matcher m = METRIC.matcher(l);
            if (m.lookingAt()) {
                exported.add(m.group());
            }
        });

        JsonNode dashboard = new ObjectMapper().readTree(Path.of("config", "grafana-dashboard.json").toFile());
        List<String> queries = new ArrayList<>();
        dashboard.get("panels").forEach(p -> p.get("targets").forEach(t -> queries.add(t.get("expr").asText())));
        dashboard.get("templating").get("list").forEach(v -> queries.add(v.get("definition").asText()));
        assertTrue(queries.size() >= 10, queries::toString);

        JsonNode alerts = new ObjectMapper(new YAMLFactory()).readTree(Path.of("config", "prometheus-alerts.yml").toFile());
        List<String> rules = new ArrayList<>();
        alerts.get("groups").forEach(g -> g.get("rules").forEach(r -> {
            assertFalse(r.path("alert").asText().isEmpty(), r::toString);
            assertFalse(r.path("annotations").path("summary").asText().isEmpty(), r::toString);
            rules.add(r.get("expr").asText());
        }));
        assertTrue(rules.size() >= 3, rules::toString);

        Set<String> used = new TreeSet<>();
        for (String q : concat(queries, rules)) {
            Matcher m = METRIC.matcher(q);
            boolean any = false;
            while (m.find()) {
                used.add(m.group());
                any = true;
            }
            assertTrue(any, "a query on none of Kompactor's series: " + q);
        }
        Set<String> missing = new TreeSet<>(used);
        missing.removeAll(exported);
        assertEquals(Set.of(), missing, "used by the dashboard or the alerts but not exported; exported: " + exported);
        for (String c : List.of("dead_letters", "failures", "plans_committed")) {
            assertTrue(used.contains("kompactor_" + c + "_total"), "the shipped files watch " + c);
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }
}
