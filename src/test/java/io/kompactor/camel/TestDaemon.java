package io.kompactor.camel;

import io.kompactor.fs.FaultHook;
import io.kompactor.commit.JournalEntry;
import io.kompactor.commit.TxState;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.apache.camel.main.Main;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** The real `kompactor run` application (shipped config and routes unless told otherwise) with fast test timings. */
final class TestDaemon implements AutoCloseable {
    final Main main;
    private final KompactorRuntime runtime;
    private final Object events = new Object();
    private long eventCount;
    private final java.util.concurrent.CountDownLatch stopping = new java.util.concurrent.CountDownLatch(1);

    private TestDaemon(Main main) {
        this.main = main;
        this.runtime = main.getCamelContext().getRegistry().lookupByNameAndType("kompactorRuntime", KompactorRuntime.class);
        // waits re-check their condition when Camel finishes an exchange, instead of sleeping or polling
        main.getCamelContext().getManagementStrategy().addEventNotifier(new EventNotifierSupport() {
            @Override
            public void notify(CamelEvent event) {
                if (event instanceof CamelEvent.CamelContextStoppingEvent) {
                    stopping.countDown();
                }
                synchronized (events) {
                    eventCount++;
                    events.notifyAll();
                }
            }

            @Override
            public boolean isEnabled(CamelEvent event) {
                return event instanceof CamelEvent.ExchangeCompletedEvent || event instanceof CamelEvent.ExchangeFailedEvent
                        || event instanceof CamelEvent.CamelContextStoppingEvent;
            }
        });
    }

    static KompactorApp app(Path dataDir) {
        return new KompactorApp()
                .override("kompactor.data-dir", dataDir.toString())
                .override("kompactor.settle", "0")
                .override("kompactor.debounce-ms", "400")
                .override("kompactor.debounce-check-interval-ms", "100")
                .override("kompactor.poll-delay-ms", "150")
                .override("kompactor.retries", "1")
                .override("kompactor.retry-delay-ms", "50")
                .override("kompactor.duckdb.threads", "2")
                .override("kompactor.duckdb.memory-limit", "256MB")
                .override("kompactor.retries", "0")
                .override("camel.main.shutdown-timeout", "5")
                .override("camel.management.enabled", "false")
                .override("camel.metrics.enabled", "false");
    }

    /** A free local port, for a daemon's management server. */
    static int freePort() throws java.io.IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Health and Prometheus metrics on 127.0.0.1:{@code port} (/observe/health, /observe/metrics). */
    static KompactorApp withManagement(KompactorApp app, int port) {
        return app.override("camel.management.enabled", "true")
                .override("camel.management.port", Integer.toString(port))
                .override("camel.management.host", "127.0.0.1")
                .override("camel.metrics.enabled", "true");
    }

    static TestDaemon start(KompactorApp app, Map<String, Object> beans) throws Exception {
        Main main = app.build();
        beans.forEach(main::bind);
        main.start();
        return new TestDaemon(main);
    }

    static TestDaemon start(Path dataDir) throws Exception {
        return start(app(dataDir), Map.of());
    }

    static TestDaemon start(Path dataDir, FaultHook hook) throws Exception {
        return start(app(dataDir), Map.of("faultHook", hook));
    }

    CamelContext context() {
        return main.getCamelContext();
    }

    KompactorRuntime runtime() {
        return runtime;
    }

    List<JournalEntry> journal() {
        // read-only, so that asking after a stop does not start (and recover) the runtime again
        try (io.kompactor.commit.Workspace ws = io.kompactor.commit.Workspace.forReading(
                io.kompactor.commit.Workspace.Options.of(runtime.settings().dataDir(), runtime.settings().stateDir(), "test"))) {
            return ws.journal().list();
        }
    }

    long count(TxState state) {
        return journal().stream().filter(e -> e.state() == state).count();
    }

    @Override
    public void close() throws Exception {
        main.stop();
    }

    /**
     * Waits until {@code condition} holds, checking it again each time the pipeline finishes or fails an exchange
     * (Camel's route events): the daemon's state only changes there.
     */
    void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (true) {
            long seen;
            synchronized (events) {
                seen = eventCount;
            }
            if (condition.getAsBoolean()) {
                return;
            }
            synchronized (events) {
                while (eventCount == seen) {
                    long left = (end - System.nanoTime()) / 1_000_000;
                    if (left <= 0) {
                        throw new AssertionError("timed out after " + timeout + " waiting for: " + what);
                    }
                    events.wait(left);
                }
            }
        }
    }

    /** Waits for the context to begin stopping (its stopping event). */
    void awaitStopping(Duration timeout) throws InterruptedException {
        if (!stopping.await(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the daemon did not begin to stop within " + timeout);
        }
    }

    /** True when {@code route} saw no new exchange within {@code quiet}, by Camel's own notifier. */
    boolean quiet(String route, Duration quiet) {
        NotifyBuilder n = new NotifyBuilder(context()).fromRoute(route).whenReceived(1).create();
        return !n.matches(quiet.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }
}
