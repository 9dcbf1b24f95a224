package io.kompactor.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kompactor.snapshot.TableKey;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The running InfluxDB 3 server's HTTP API, for what Kompactor needs to know about it (docs/operations.md, "Beside a
 * live server"): which process runs ({@code GET /ping}, {@code process_id}: another one means it restarted) and which
 * parquet files it reads ({@code SELECT path FROM system.parquet_files} per database through
 * {@code POST /api/v3/query_sql}). Databases come from the settings, or from
 * {@code GET /api/v3/configure/database?format=json}. A failed question never blocks anything: the caller only
 * retires less.
 */
public final class InfluxDbServer {
    private final URI base;
    private final String token;
    private final List<String> databases;
    private final HttpClient http;
    private final ObjectMapper mapper = new ObjectMapper();

    public InfluxDbServer(URI base, String token, List<String> databases) {
        this.base = URI.create(base.toString().endsWith("/") ? base.toString() : base + "/");
        this.token = token == null ? "" : token;
        this.databases = List.copyOf(databases);
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** The server process's id from {@code /ping}; empty when it does not answer (or is older than 3.1). */
    public Optional<String> processId() {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve("ping")).GET();
            JsonNode n = sendRaw(b);
            String id = n.path("process_id").asText(null);
            return Optional.ofNullable(id == null || id.isBlank() ? null : id);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * Every path the server reads, or null when that is not known for sure: it did not answer, or only some databases
     * were asked (a file of another database would look unread).
     */
    public Set<String> listedPathsOrNull() {
        if (!databases.isEmpty()) {
            return null;
        }
        try {
            return listedPaths();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * "db/table" names by ids, from what the server lists ({@code table_name} and {@code path} of
     * {@code system.parquet_files}; ids from 3.6+ paths {@code <node>/dbs/<db_id>/<table_id>/...}). Empty on failure.
     */
    public Map<TableKey, String> tableNames() {
        Map<TableKey, String> out = new HashMap<>();
        try {
            for (String db : databases()) {
                for (JsonNode r : query(db, "SELECT DISTINCT table_name, path FROM system.parquet_files")) {
                    String[] seg = normalise(r.path("path").asText("")).split("/");
                    if (seg.length >= 4 && seg[1].equals("dbs") && seg[2].matches("\\d+") && seg[3].matches("\\d+")) {
                        out.put(new TableKey(Long.parseLong(seg[2]), Long.parseLong(seg[3])),
                                db + "/" + r.path("table_name").asText());
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            return Map.of();
        }
        return out;
    }

    /** Object paths (relative to the data dir, no leading slash) of every file the server lists, over all databases. */
    public Set<String> listedPaths() throws IOException {
        Set<String> out = new HashSet<>();
        for (String db : databases()) {
            for (JsonNode r : query(db, "SELECT path FROM system.parquet_files")) {
                String p = r.path("path").asText("");
                if (!p.isEmpty()) {
                    out.add(normalise(p));
                }
            }
        }
        return out;
    }

    /** The rows of one SQL query on one database, as JSON objects. */
    private JsonNode query(String db, String sql) throws IOException {
        ObjectNode q = mapper.createObjectNode();
        q.put("db", db);
        q.put("q", sql);
        q.put("format", "json");
        return send(HttpRequest.newBuilder(base.resolve("api/v3/query_sql"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(mapper.writeValueAsString(q), StandardCharsets.UTF_8)));
    }

    public List<String> databases() throws IOException {
        if (!databases.isEmpty()) {
            return databases;
        }
        JsonNode rows = send(HttpRequest.newBuilder(base.resolve("api/v3/configure/database?format=json")).GET());
        List<String> out = new ArrayList<>();
        for (JsonNode r : rows) {
            String name = r.isTextual() ? r.asText() : r.path("iox::database").asText(null);
            if (name == null) {
                Iterator<JsonNode> values = r.elements();
                name = values.hasNext() ? values.next().asText() : null;
            }
            if (name != null && !name.startsWith("_")) {
                out.add(name);
            }
        }
        return out;
    }

    public static String normalise(String path) {
        String p = path.replace('\\', '/');
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        return p;
    }

    private JsonNode send(HttpRequest.Builder b) throws IOException {
        JsonNode n = sendRaw(b);
        if (!n.isArray()) {
            throw new IOException(base + ": expected a JSON array, got " + n.getNodeType());
        }
        return n;
    }

    private JsonNode sendRaw(HttpRequest.Builder b) throws IOException {
        if (!token.isBlank()) {
            b.header("Authorization", "Bearer " + token);
        }
        HttpRequest req = b.timeout(Duration.ofSeconds(60)).build();
        HttpResponse<String> res;
        try {
            res = http.send(req, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted asking " + req.uri(), e);
        }
        if (res.statusCode() / 100 != 2) {
            throw new IOException(req.method() + " " + req.uri() + ": HTTP " + res.statusCode() + ": "
                    + res.body().lines().findFirst().orElse(""));
        }
        return mapper.readTree(res.body().isBlank() ? "[]" : res.body());
    }
}
