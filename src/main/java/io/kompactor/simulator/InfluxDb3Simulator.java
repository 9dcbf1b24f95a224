package io.kompactor.simulator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kompactor.parquet.DuckDb;

import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A running InfluxDB 3 Core server (file object store, one node) as far as a compactor can tell: it loads a data
 * dir the way a restart does, buffers writes, persists snapshots and parquet files, writes checkpoints and the
 * table index from its own memory, runs retention, answers {@code /ping} and {@code system.parquet_files}, and
 * restarts. All time comes from the caller's clock. Thread-safe: every call is serialised.
 *
 * <p>What survives {@link #restart()} is what a real server keeps on disk (the data dir, and the catalog, which
 * the simulator keeps in this object instead of writing it), plus the ledger and the statistics.
 */
public final class InfluxDb3Simulator implements AutoCloseable {
    private final ServerEnv env;
    private final Connection duckdb;
    private final SimHttpServer http;
    private ServerProcess process;
    private boolean closed;

    private InfluxDb3Simulator(ServerEnv env, Connection duckdb) {
        this.env = env;
        this.duckdb = duckdb;
        this.http = env.options().http() ? new SimHttpServer(new Backend(), env.options().token()) : null;
    }

    /**
     * Starts a server on {@code dataDir} (created if missing): a restart load of whatever is there.
     *
     * @throws SimulatorException if the data dir's metadata does not load, as the server would fail to start
     */
    public static InfluxDb3Simulator start(Path dataDir, SimulatorOptions options, Supplier<Instant> clock) {
        Objects.requireNonNull(clock, "clock");
        Connection duckdb;
        try {
            duckdb = DuckDb.openLight();
        } catch (SQLException e) {
            throw new SimulatorException("cannot open DuckDB for writing parquet: " + e.getMessage(), e);
        }
        Ledger ledger = options.ledgerDir() == null ? null : Ledger.open(options.ledgerDir());
        ServerEnv env = new ServerEnv(new NodePaths(dataDir.toAbsolutePath(), options.nodeId()), options, clock,
                new Catalog(), new ChunkWriter(duckdb), ledger, new SimStats.Counter());
        InfluxDb3Simulator sim = new InfluxDb3Simulator(env, duckdb);
        try {
            sim.process = ServerProcess.start(env);
        } catch (RuntimeException e) {
            sim.close();
            throw e;
        }
        return sim;
    }

    /**
     * Buffers points into {@code db.table}, creating either as needed (ids in creation order).
     *
     * @throws IllegalArgumentException if a value's type differs from its column's, as the server rejects the line
     */
    public synchronized void write(String db, String table, List<Row> rows) {
        running().write(db, table, rows);
    }

    /** Persists one snapshot of everything buffered (and of pending removals); empty when there was nothing. */
    public synchronized Optional<SnapshotDoc> persistSnapshot() {
        return running().persistSnapshot();
    }

    /** One run of the retention task at simulated time {@code now}. */
    public synchronized RetentionResult retentionPass(Instant now) {
        return running().retentionPass(now);
    }

    /** Stops gracefully (a final snapshot of the buffer) if running, then starts a new process: a restart load. */
    public synchronized void restart() {
        if (process != null) {
            stop();
        }
        checkOpen();
        process = ServerProcess.start(env);
    }

    /** Stops as a kill would: the buffer is lost, nothing more is written. {@link #restart()} starts again. */
    public synchronized void crash() {
        process = null;
    }

    /** Stops gracefully: a final snapshot of the buffer, then the process is gone until {@link #restart()}. */
    public synchronized void stop() {
        if (process != null) {
            process.persistSnapshot();
            process = null;
        }
    }

    /** {@link #stop()}, then releases the HTTP port and DuckDB. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        try {
            stop();
        } finally {
            closed = true;
            if (http != null) {
                http.close();
            }
            try {
                duckdb.close();
            } catch (SQLException e) {
                // Nothing left to flush: an in-memory instance that only wrote finished files.
            }
        }
    }

    public synchronized boolean isRunning() {
        return process != null;
    }

    /** The running process's id, new at every start; null while stopped. */
    public synchronized String processId() {
        return process == null ? null : process.processId();
    }

    /** Base URL of the HTTP API, the same across restarts. */
    public URI url() {
        if (http == null) {
            throw new IllegalStateException("HTTP is off in these options");
        }
        return http.url();
    }

    /** The running process's {@code PersistedFiles}: what its queries read. */
    public synchronized FileListing persistedFiles() {
        return running().persistedFiles();
    }

    /** What the running process loaded at its start. */
    public synchronized LoadedState lastLoad() {
        return running().loaded();
    }

    /** Checkpoint files the 3.9+ startup build wrote at this process's start (none when it loaded one). */
    public synchronized List<Path> checkpointsWrittenAtStart() {
        return running().checkpointsWrittenAtStart();
    }

    public synchronized List<String> databases() {
        return env.catalog().databaseNames();
    }

    public synchronized Optional<TableRef> tableRef(String db, String table) {
        return env.catalog().table(db, table).map(TableDef::ref);
    }

    public SimStats stats() {
        return env.stats().get();
    }

    public Optional<Ledger> ledger() {
        return Optional.ofNullable(env.ledger());
    }

    /** Rows a query of {@code db.table} should return, from the ledger: distinct (tags, time) ever written. */
    public synchronized long expectedRowCount(String db, String table) {
        Ledger ledger = ledger().orElseThrow(() -> new IllegalStateException("no ledger in these options"));
        TableRef ref = tableRef(db, table).orElseThrow(() -> new IllegalArgumentException("no table " + db + "." + table));
        try {
            return ledger.expectedRowCount(duckdb, ref);
        } catch (SQLException e) {
            throw new SimulatorException("cannot count the ledger's rows of " + db + "." + table, e);
        }
    }

    public Path dataDir() {
        return env.node().dataDir();
    }

    public String nodeId() {
        return env.node().nodeId();
    }

    synchronized ServerProcess process() {
        return running();
    }

    private ServerProcess running() {
        checkOpen();
        if (process == null) {
            throw new IllegalStateException("the simulated server is stopped; restart() starts it");
        }
        return process;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the simulator is closed");
        }
    }

    /** The HTTP front door's view, under the simulator's lock. */
    private final class Backend implements HttpBackend {
        @Override
        public String processId() {
            return InfluxDb3Simulator.this.processId();
        }

        @Override
        public List<String> databases() {
            return InfluxDb3Simulator.this.databases();
        }

        @Override
        public Optional<ArrayNode> parquetFiles(String db, SystemFilesQuery query) {
            synchronized (InfluxDb3Simulator.this) {
                Optional<Long> dbId = env.catalog().dbId(db);
                if (dbId.isEmpty() || process == null) {
                    return Optional.empty();
                }
                ArrayNode rows = SimJson.MAPPER.createArrayNode();
                process.persistedFiles().byTable().forEach((t, files) -> {
                    String name = env.catalog().tableName(t);
                    if (t.dbId() != dbId.get() || query.tableName().filter(n -> !n.equals(name)).isPresent()) {
                        return;
                    }
                    files.forEach(f -> rows.add(row(query, name, f)));
                });
                return Optional.of(rows);
            }
        }

        private ObjectNode row(SystemFilesQuery query, String table, ParquetFile f) {
            ObjectNode o = SimJson.MAPPER.createObjectNode();
            for (String c : query.columns()) {
                switch (c) {
                    case "table_name" -> o.put(c, table);
                    case "path" -> o.put(c, f.path());
                    case "size_bytes" -> o.put(c, f.sizeBytes());
                    case "row_count" -> o.put(c, f.rowCount());
                    case "min_time" -> o.put(c, f.minTime());
                    case "max_time" -> o.put(c, f.maxTime());
                    default -> throw new IllegalStateException("unknown column " + c);
                }
            }
            return o;
        }
    }
}
