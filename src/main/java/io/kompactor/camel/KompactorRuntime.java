package io.kompactor.camel;

import io.kompactor.snapshot.MetadataCache;

import io.kompactor.commit.CommitHook;
import io.kompactor.commit.Committer;
import io.kompactor.commit.RetirePolicy;
import io.kompactor.commit.StateDir;
import io.kompactor.deadletter.DeadLetterStore;
import io.kompactor.merge.DuckDbMerger;
import io.kompactor.plan.Planner;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Semaphore;

/**
 * The engine objects of the continuous mode, shared by every bean: one planner, one DuckDB merger (started on first
 * use), one committer with {@link RetirePolicy#KEEP} (a live server may still read the originals) and the dead-letter
 * store. On start it takes the state dir's lock and runs {@link Committer#recover()} before anything else touches
 * the data dir; on stop (after the routes, so in-flight commits are done) it closes DuckDB and releases the lock.
 */
public final class KompactorRuntime extends ServiceSupport {
    private static final Logger LOG = LoggerFactory.getLogger(KompactorRuntime.class);

    private final KompactorSettings settings;
    private final Clock clock;
    private final Planner planner;
    private final Committer committer;
    private final DeadLetterStore deadLetters;
    private final KompactorMetrics metrics;
    private final ConcurrentMap<String, Semaphore> hostPermits = new ConcurrentHashMap<>();
    /** Planning re-reads every snapshot of a host on each trigger; unchanged files are parsed once. */
    private final MetadataCache metadataCache = new MetadataCache();
    private DuckDbMerger merger;
    private StateDir.Lock lock;
    private volatile boolean recovered;

    public KompactorRuntime(KompactorSettings settings, CommitHook hook, KompactorMetrics metrics, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.planner = new Planner(settings.plannerOptions(), clock);
        this.committer = new Committer(settings.stateDir(), RetirePolicy.KEEP, hook, clock);
        this.deadLetters = new DeadLetterStore(settings.stateDir());
        this.metrics = metrics;
    }

    public KompactorSettings settings() {
        return settings;
    }

    public Clock clock() {
        return clock;
    }

    public MetadataCache metadataCache() {
        return metadataCache;
    }

    public Planner planner() {
        return planner;
    }

    public Committer committer() {
        return committer;
    }

    public DeadLetterStore deadLetters() {
        return deadLetters;
    }

    public KompactorMetrics metrics() {
        return metrics;
    }

    public StateDir stateDir() {
        return settings.stateDir();
    }

    public synchronized DuckDbMerger merger() {
        if (merger == null) {
            merger = new DuckDbMerger(settings.mergeSettings());
        }
        return merger;
    }

    /** Lock, create the state dir, recover: once, before the first plan. Every bean calls this first. */
    public synchronized void ensureStarted() {
        if (recovered) {
            return;
        }
        try {
            lock = settings.stateDir().lock();
            settings.stateDir().create();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start: " + e.getMessage(), e);
        }
        List<String> done = committer.recover();
        done.forEach(line -> LOG.info("recovery: {}", line));
        LOG.info("recovery done ({} transaction(s) acted on); data dir {}, state dir {}, hosts {}", done.size(),
                settings.dataDir(), settings.stateDir().root(),
                settings.hosts().isEmpty() ? "(every node dir)" : settings.hosts());
        recovered = true;
    }

    /** One plan-merge-commit cycle per host at a time: plans of one table never overlap. */
    public Semaphore hostPermit(String host) {
        return hostPermits.computeIfAbsent(host, h -> new Semaphore(1));
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
        if (lock != null) {
            lock.close();
            lock = null;
        }
        recovered = false;
    }
}
