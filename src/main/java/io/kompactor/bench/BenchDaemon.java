package io.kompactor.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kompactor.camel.KompactorApp;
import io.kompactor.camel.KompactorRuntime;
import io.kompactor.simulator.SimClock;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.component.seda.SedaEndpoint;
import org.apache.camel.main.Main;
import org.apache.camel.processor.aggregate.AggregateProcessor;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The daemon of the continuous and idle benchmarks, as the main class of a JVM of its own so that its CPU seconds
 * and peak RSS are its own (as {@link BenchPhase} does for the one-shot phases). It starts exactly what
 * {@code kompactor run} starts ({@link KompactorApp}: the shipped {@code config/application.properties} and
 * {@code routes/*.yaml}, the settings registry, the overrides given here as {@code run -D key=value} would give
 * them), and binds one extra bean, a {@link java.time.Clock} named {@code clock} ({@link SimClock#asClock}), which {@code KompactorConfiguration} hands to
 * the runtime (planner, journal, metrics) instead of the system clock. The benchmark moves that clock with its
 * simulated server, so settle times and the late-data policy's max-wait run on simulated time while Camel's timers
 * (watcher polls, debounce, retries) stay real time (docs/architecture.md, "The pipeline").
 * <p>
 * {@code java -cp kompactor.jar io.kompactor.bench.BenchDaemon key=value...}, then one command per line on stdin and
 * one answer per line on stdout (logs go to stderr):
 * <ul>
 *   <li>{@code clock <epoch-second> <nano>} → {@code ok}: the daemon's clock reads this instant from now on. The
 *       benchmark waits for the answer before the server writes, so the daemon never sees a snapshot before its
 *       time.</li>
 *   <li>{@code sync} → {@code quiet <json>}: once a poll of the metadata watcher that started after the command has
 *       run, and then nothing is left to do: no debounce group open, nothing queued for or running in
 *       {@code plan-host} (planning, merging, committing), twice 50 ms apart. The JSON has the daemon's counters and
 *       its own CPU seconds. {@code timeout} instead after the given seconds ({@code sync <seconds>}).</li>
 *   <li>{@code stop} → {@code stopped}: Camel stops gracefully, as on SIGTERM.</li>
 * </ul>
 */
public final class BenchDaemon {
    /** Routes of the shipped routes/compaction.camel.yaml the pacing looks at. */
    static final String WATCH_ROUTE = "watch-metadata";
    static final String CATCH_UP_ROUTE = "catch-up";
    static final String PLAN_ROUTE = "plan-host";
    static final String DEBOUNCE_ID = "debounce";
    static final String CLOCK_START = "bench.clock-start";

    private final Main main;
    private final SimClock clock;
    private final Map<String, AtomicLong> completed = new ConcurrentHashMap<>();
    private final Map<String, Long> createdAt = new ConcurrentHashMap<>();
    private final AtomicLong lastPollStart = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong plansStarted = new AtomicLong();
    private volatile double firstQuietCpu = -1;

    private BenchDaemon(Main main, SimClock clock) {
        this.main = main;
        this.clock = clock;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> overrides = new LinkedHashMap<>();
        for (String a : args) {
            int eq = a.indexOf('=');
            overrides.put(a.substring(0, eq), a.substring(eq + 1));
        }
        System.setProperty("kompactor.log.level", System.getProperty("kompactor.log.level", "info"));
        org.apache.logging.log4j.core.config.Configurator.setRootLevel(
                org.apache.logging.log4j.Level.toLevel(System.getProperty("kompactor.log.level")));
        // bench.clock-start is the daemon's clock until the first `clock` command; everything else is a setting
        // without it the daemon keeps the system clock (the benchmark of the daemon at rest)
        String start = overrides.remove(CLOCK_START);
        SimClock clock = start == null ? null : new SimClock(Instant.parse(start));
        KompactorApp app = new KompactorApp();
        overrides.forEach(app::override);
        app.preflight(System.getenv()); // as `run` does: a bad setting fails here, before anything starts
        Main main = app.build();
        if (clock != null) {
            main.bind("clock", clock.asClock());
        }
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true,
                StandardCharsets.UTF_8);
        System.setOut(System.err); // nothing but answers on stdout
        BenchDaemon d = new BenchDaemon(main, clock);
        // route events from the very first exchange on (the catch-up timer fires as the routes start)
        main.addMainListener(new org.apache.camel.main.MainListenerSupport() {
            @Override
            public void afterConfigure(org.apache.camel.main.BaseMainSupport m) {
                d.listen(m.getCamelContext());
            }
        });
        main.start();
        out.println("ready");
        d.serve(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)), out);
        System.exit(0);
    }

    private void listen(CamelContext context) {
        context.getManagementStrategy().addEventNotifier(new EventNotifierSupport() {
            @Override
            public void notify(CamelEvent event) {
                Exchange e = ((CamelEvent.ExchangeEvent) event).getExchange();
                String route = e.getFromRouteId();
                if (event instanceof CamelEvent.ExchangeCreatedEvent) {
                    createdAt.put(e.getExchangeId(), System.nanoTime());
                    if (PLAN_ROUTE.equals(route)) {
                        plansStarted.incrementAndGet();
                    }
                    return;
                }
                Long created = createdAt.remove(e.getExchangeId());
                if (route != null) {
                    completed.computeIfAbsent(route, r -> new AtomicLong()).incrementAndGet();
                }
                if (WATCH_ROUTE.equals(route) && created != null) {
                    lastPollStart.accumulateAndGet(created, Math::max);
                }
            }

            @Override
            public boolean isEnabled(CamelEvent event) {
                return event instanceof CamelEvent.ExchangeCreatedEvent || event instanceof CamelEvent.ExchangeCompletedEvent
                        || event instanceof CamelEvent.ExchangeFailedEvent;
            }
        });
    }

    private void serve(BufferedReader in, PrintStream out) throws Exception {
        String line;
        while ((line = in.readLine()) != null) {
            String[] w = line.trim().split("\\s+");
            switch (w[0]) {
                case "clock" -> {
                    if (clock == null) {
                        out.println("error no simulated clock (start with " + CLOCK_START + "=<instant>)");
                        continue;
                    }
                    clock.set(Instant.ofEpochSecond(Long.parseLong(w[1]), Long.parseLong(w[2])));
                    out.println("ok");
                }
                case "sync" -> {
                    long timeoutMs = w.length > 1 ? Long.parseLong(w[1]) * 1000 : 600_000;
                    long t0 = System.nanoTime();
                    boolean quiet = awaitQuiet(t0, timeoutMs);
                    if (quiet && firstQuietCpu < 0) {
                        firstQuietCpu = ProcStats.cpuSeconds();
                    }
                    ObjectNode s = status();
                    s.put("sync_ms", (System.nanoTime() - t0) / 1_000_000);
                    out.println((quiet ? "quiet " : "timeout ") + s);
                }
                case "stop" -> {
                    main.stop();
                    out.println("stopped");
                    return;
                }
                default -> out.println("error unknown command " + line);
            }
        }
        main.stop(); // the benchmark went away: stop as on SIGTERM
    }

    /**
     * True once a watcher poll that started after {@code since} has finished (so every change written before the
     * command is in a debounce group or planned) and then nothing is pending, twice {@value #SETTLE_MS} ms apart with
     * no plan started in between.
     */
    private boolean awaitQuiet(long since, long timeoutMs) throws InterruptedException {
        long deadline = since + timeoutMs * 1_000_000;
        CamelContext ctx = main.getCamelContext();
        while (lastPollStart.get() <= since) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(5);
        }
        while (System.nanoTime() < deadline) {
            long plans = plansStarted.get();
            if (idle(ctx)) {
                Thread.sleep(SETTLE_MS);
                if (idle(ctx) && plansStarted.get() == plans) {
                    return true;
                }
            } else {
                Thread.sleep(10);
            }
        }
        return false;
    }

    private static final long SETTLE_MS = 50;

    /**
     * Nothing in the pipeline, read upstream first (debounce group, hand-over, queue, running), so that a trigger moving
     * downstream while we look is seen at a later stage.
     */
    private boolean idle(CamelContext ctx) {
        if (completed.getOrDefault(CATCH_UP_ROUTE, new AtomicLong()).get() == 0) {
            return false; // the start-up scan has not even been queued
        }
        AggregateProcessor debounce = ctx.getProcessor(DEBOUNCE_ID, AggregateProcessor.class);
        // the repository's keys are the open groups (getPendingExchangesSize() counts them only with completeAllOnStop)
        if (debounce != null && (!debounce.getAggregationRepository().getKeys().isEmpty()
                || debounce.getInProgressCompleteExchanges() > 0)) {
            return false;
        }
        for (var ep : ctx.getEndpoints()) {
            if (ep instanceof SedaEndpoint seda && seda.getCurrentQueueSize() > 0) {
                return false;
            }
        }
        for (String route : List.of(CATCH_UP_ROUTE, PLAN_ROUTE, "compact")) {
            if (ctx.getInflightRepository().size(route) > 0) {
                return false;
            }
        }
        return true;
    }

    private ObjectNode status() {
        ObjectNode s = BenchPhase.obj();
        KompactorRuntime rt = main.getCamelContext().getRegistry().lookupByNameAndType("kompactorRuntime",
                KompactorRuntime.class);
        long planned = 0;
        long committed = 0;
        long failures = 0;
        long dead = 0;
        long bytesOut = 0;
        for (String h : rt.hosts()) {
            planned += (long) rt.metrics().count("kompactor.plans.planned", h);
            committed += (long) rt.metrics().count("kompactor.plans.committed", h);
            failures += (long) rt.metrics().count("kompactor.failures", h);
            dead += (long) rt.metrics().count("kompactor.dead.letters", h);
            bytesOut += (long) rt.metrics().count("kompactor.bytes.out", h);
        }
        s.put("plans_planned", planned);
        s.put("plans_committed", committed);
        s.put("failures", failures);
        s.put("dead_letters", dead);
        s.put("bytes_out", bytesOut);
        s.put("plan_passes", completed.getOrDefault(PLAN_ROUTE, new AtomicLong()).get());
        s.put("cpu_s", ProcStats.cpuSeconds());
        s.put("first_quiet_cpu_s", firstQuietCpu);
        s.put("rss_bytes", ProcStats.rssBytes());
        return s;
    }
}
