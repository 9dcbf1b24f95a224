package io.kompactor.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The server's HTTP API as far as a compactor uses it, on 127.0.0.1 and an ephemeral port that stays the same across
 * simulated restarts: {@code GET /ping} with the process id (docs/format.md, "What a running server writes later"),
 * {@code POST /api/v3/query_sql} for {@code system.parquet_files}, {@code GET /api/v3/configure/database}.
 */
final class SimHttpServer implements AutoCloseable {
    static final String VERSION = "3.9.x-sim";

    private final HttpServer server;
    private final ExecutorService executor;
    private final HttpBackend backend;
    private final String token;

    SimHttpServer(HttpBackend backend, String token) {
        this.backend = backend;
        this.token = token;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new SimulatorException("cannot open the simulator's HTTP port: " + e.getMessage(), e);
        }
        executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "influxdb3-sim-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            try {
                route(ex);
            } catch (RuntimeException e) {
                send(ex, 500, error(String.valueOf(e.getMessage())));
            }
        }
    }

    private void route(HttpExchange ex) throws IOException {
        if (token != null && !("Bearer " + token).equals(ex.getRequestHeaders().getFirst("Authorization"))) {
            send(ex, 401, error("unauthenticated"));
            return;
        }
        String processId = backend.processId();
        if (processId == null) {
            send(ex, 503, error("server is not running"));
            return;
        }
        String path = ex.getRequestURI().getPath();
        String method = ex.getRequestMethod();
        if (path.equals("/ping") && (method.equals("GET") || method.equals("POST"))) {
            send(ex, 200, ping(processId));
        } else if (path.equals("/api/v3/query_sql") && method.equals("POST")) {
            query(ex);
        } else if (path.equals("/api/v3/configure/database") && method.equals("GET")) {
            ArrayNode dbs = SimJson.MAPPER.createArrayNode();
            backend.databases().forEach(db -> dbs.addObject().put("iox::database", db));
            send(ex, 200, dbs);
        } else {
            send(ex, 404, error("not found: " + method + " " + path));
        }
    }

    private static ObjectNode ping(String processId) {
        ObjectNode o = SimJson.MAPPER.createObjectNode();
        o.put("product_name", "InfluxDB 3 Core");
        o.put("version", VERSION);
        o.put("revision", "sim");
        o.put("process_id", processId);
        return o;
    }

    private void query(HttpExchange ex) throws IOException {
        JsonNode body;
        try {
            body = SimJson.MAPPER.readTree(ex.getRequestBody());
        } catch (IOException e) {
            send(ex, 400, error("request body is not JSON: " + e.getMessage()));
            return;
        }
        String format = body.path("format").asText("json");
        if (!format.equals("json")) {
            send(ex, 400, error("the simulator answers only format json, not " + format));
            return;
        }
        SystemFilesQuery q;
        try {
            q = SystemFilesQuery.parse(body.path("q").asText(null));
        } catch (IllegalArgumentException e) {
            send(ex, 400, error(e.getMessage()));
            return;
        }
        String db = body.path("db").asText("");
        Optional<ArrayNode> rows = backend.parquetFiles(db, q);
        if (rows.isEmpty()) {
            send(ex, 404, error("database not found: " + db));
            return;
        }
        send(ex, 200, rows.get());
    }

    private static ObjectNode error(String message) {
        return SimJson.MAPPER.createObjectNode().put("error", message);
    }

    private static void send(HttpExchange ex, int status, JsonNode body) throws IOException {
        byte[] bytes = SimJson.MAPPER.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }
}
