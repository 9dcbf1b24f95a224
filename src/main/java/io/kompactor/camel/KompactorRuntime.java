package io.kompactor.camel;

import io.kompactor.commit.RetirePolicy;
import io.kompactor.commit.ServerProbe;
import io.kompactor.commit.Transactions;
import io.kompactor.commit.Workspace;
import io.kompactor.deadletter.DeadLetterStore;
import io.kompactor.engine.LazyMerger;
import io.kompactor.fs.FaultHook;
import io.kompactor.merge.DuckDbMerger;
import io.kompactor.plan.Planner;
import io.kompactor.server.InfluxDbServer;
import io.kompactor.snapshot.MetadataCache;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Semaphore;

/**
 * The engine objects of the continuous mode, shared by every bean: one planner, one DuckDB merger (started on first
 * use), the transactions of the data dir (every commit with {@link RetirePolicy#KEEP}: a live server may still read
 * the originals), the dead-letter store and, with {@code kompactor.influxdb.url}, the server's API. On start it opens
 * the data dir (marker and state dir checked) and recovers interrupted transactions before anything else touches the
 * data dir. It holds the data dir's lock only per transaction, so {@code gc}, {@code rollback} and
 * {@code dead-letters retry} can run beside it.
 */
public final class KompactorRuntime extends ServiceSupport {
    private static final Logger LOG = LoggerFactory.getLogger(KompactorRuntime.class);

    private final KompactorSettings settings;
    private final Clock clock;
    private final FaultHook hook;
    private final Planner planner;
    private final KompactorMetrics metrics;
    private final InfluxDbServer server;
    private final ConcurrentMap<String, Semaphore> hostPermits = new ConcurrentHashMap<>();
    private volatile Workspace workspace;
    private volatile Transactions transactions;
    private volatile DeadLetterStore deadLetters;
    private volatile LazyMerger merger;

    public KompactorRuntime(KompactorSettings settings, FaultHook hook, KompactorMetrics metrics, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.hook = hook;
        // late files of compacted windows are checked for repeated keys on the merger's DuckDB, opened on first need
        this.planner = new Planner(settings.plannerOptions(), clock,
                (dataDir, compacted, late) -> merger.lateKeys().repeats(dataDir, compacted, late));
        this.metrics = metrics;
        this.server = settings.influxDbUrl() == null ? null
                : new InfluxDbServer(settings.influxDbUrl(), settings.influxDbToken(), settings.influxDbDatabases());
    }

    public KompactorSettings settings() {
        return settings;
    }

    public Clock clock() {
        return clock;
    }

    /** Planning re-reads every snapshot of a host on each trigger; unchanged files are parsed once. */
    public MetadataCache metadataCache() {
        return transactions().metadataCache();
    }

    public Planner planner() {
        return planner;
    }

    public Transactions transactions() {
        ensureStarted();
        return transactions;
    }

    public Workspace workspace() {
        ensureStarted();
        return workspace;
    }

    public DeadLetterStore deadLetters() {
        ensureStarted();
        return deadLetters;
    }

    public KompactorMetrics metrics() {
        return metrics;
    }

    /** The server's API, or null without {@code kompactor.influxdb.url}. */
    public InfluxDbServer server() {
        return server;
    }

    public DuckDbMerger merger() {
        ensureStarted();
        return merger.get();
    }

    /** Open the data dir and recover: once, before the first plan. Every bean calls this first. */
    public synchronized void ensureStarted() {
        if (transactions != null) {
            return;
        }
        Workspace ws = Workspace.forWriting(new Workspace.Options(settings.dataDir(), settings.stateDir(),
                settings.lockWait(), hook, clock, "run"));
        Transactions tx = new Transactions(ws, server == null ? ServerProbe.NONE : server::processId);
        Transactions.RecoveryReport r = tx.recover();
        r.lines().forEach(line -> LOG.info("recovery: {}", line));
        r.cleaned().forEach(line -> LOG.info("recovery: {}", line));
        r.blocked().forEach(line -> LOG.error("recovery: {}", line));
        LOG.info("recovery done ({} acted on); data dir {}, state dir {}, hosts {}",
                io.kompactor.config.Units.count(r.lines().size(), "transaction"),
                settings.dataDir(), ws.state().root(), settings.hosts().isEmpty() ? "(every node dir)" : settings.hosts());
        try {
            settings.resolveHosts().forEach(metrics::register); // every series at zero from the start
        } catch (RuntimeException e) {
            LOG.warn("cannot list the hosts of {} yet: {}", settings.dataDir(), e.getMessage());
        }
        this.workspace = ws;
        this.deadLetters = new DeadLetterStore(ws.state());
        this.merger = new LazyMerger(settings.mergeSettings(ws.scratch()));
        this.transactions = tx;
    }

    /**
     * Table names for the policies: the catalog where it is JSON, and what the server lists when its URL is set
     * (asked at most every few minutes).
     */
    public java.util.Map<io.kompactor.snapshot.TableKey, String> tableNames(String host) {
        java.util.Map<io.kompactor.snapshot.TableKey, String> names =
                new java.util.HashMap<>(io.kompactor.snapshot.CatalogNames.read(settings.dataDir(), host));
        if (server != null) {
            long now = System.nanoTime();
            if (serverNames == null || now - serverNamesAt > 300_000_000_000L) {
                serverNames = server.tableNames();
                serverNamesAt = now;
            }
            names.putAll(serverNames);
        }
        return names;
    }

    private volatile java.util.Map<io.kompactor.snapshot.TableKey, String> serverNames;
    private volatile long serverNamesAt;

    /** One plan-merge-commit cycle per host at a time: plans of one table never overlap. */
    public Semaphore hostPermit(String host) {
        return hostPermits.computeIfAbsent(host, h -> new Semaphore(1));
    }

    public List<String> hosts() {
        return settings.resolveHosts();
    }

    @Override
    protected void doStart() {
        ensureStarted();
    }

    @Override
    protected synchronized void doStop() throws Exception {
        if (merger != null) {
            merger.close();
            merger = null;
        }
        if (workspace != null) {
            workspace.close();
            workspace = null;
        }
        transactions = null;
    }
}
