package io.kompactor.cli;

import io.kompactor.engine.PlanOutcome;
import io.kompactor.engine.ProgressListener;
import io.kompactor.config.Units;
import io.kompactor.plan.CompactionPlan;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * What a running {@code compact} is doing, on stderr: a line when a plan enters a phase (checking inputs, merging,
 * committing) and, while one runs, a line every few seconds with the time spent so far and, once a plan of this run
 * has finished, an estimate of how far the merge is, from this run's rate. DuckDB reports no progress of a running
 * statement we could rely on, so the percentage is labelled as an estimate and never goes past 99%.
 * <p>
 * Lines are printed on a terminal ({@code System.console() != null}) or when asked ({@code --progress}), never with
 * {@code -q}. Whatever the mode, Ctrl-C prints what was stopped and what the next command does about it.
 */
final class LiveProgress implements ProgressListener, AutoCloseable {
    static final long TICK_SECONDS = 5;

    private final PrintWriter err;
    private final boolean lines;
    private final String dataDir;
    private final LongSupplier nanoTime;
    private ScheduledExecutorService ticker;
    private Thread interruptHook;

    private int total = -1;
    private int finished;
    private int committed;
    private long rowsDone;
    private long nanosDone;
    private CompactionPlan current;
    private Phase phase;
    private long phaseStart;
    private long lastLine;

    LiveProgress(PrintWriter err, boolean lines, String dataDir, LongSupplier nanoTime) {
        this.err = err;
        this.lines = lines;
        this.dataDir = dataDir;
        this.nanoTime = nanoTime;
    }

    /** Lines when on a terminal or forced, none with -q. */
    static boolean linesWanted(boolean quiet, boolean forced) {
        return !quiet && (forced || System.console() != null);
    }

    /** Starts the ticker (when lines are printed) and the Ctrl-C notice; {@link #close} stops both. */
    LiveProgress start() {
        if (lines) {
            ticker = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "kompactor-progress");
                t.setDaemon(true);
                return t;
            });
            ticker.scheduleAtFixedRate(this::tick, 1, 1, TimeUnit.SECONDS);
        }
        interruptHook = new Thread(() -> {
            for (String l : interruptNotice()) {
                err.println(l);
            }
            err.flush();
        }, "kompactor-interrupted");
        Runtime.getRuntime().addShutdownHook(interruptHook);
        return this;
    }

    @Override
    public void close() {
        if (ticker != null) {
            ticker.shutdownNow();
        }
        if (interruptHook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(interruptHook);
            } catch (IllegalStateException e) {
                // the JVM is shutting down: the hook runs
            }
        }
    }

    @Override
    public synchronized void runStarted(int plans) {
        total = plans;
    }

    @Override
    public synchronized void phase(CompactionPlan plan, Phase p, String what) {
        current = plan;
        phase = p;
        phaseStart = nanoTime.getAsLong();
        if (lines) {
            err.println(position() + what + (p == Phase.CHECKING_INPUTS ? "" : " - " + plan.label()));
            err.flush();
            lastLine = phaseStart;
        }
    }

    @Override
    public synchronized void planFinished(int index, int all, PlanOutcome outcome) {
        finished = index;
        if (outcome instanceof PlanOutcome.Committed c) {
            committed++;
            rowsDone += c.plan().inputRows();
            nanosDone += c.durationNanos();
        }
        current = null;
        phase = null;
    }

    /**
     * The line the ticker prints while a plan runs, once {@link #TICK_SECONDS} passed since the last line; null
     * between plans and before then.
     */
    synchronized String tickLine() {
        long now = nanoTime.getAsLong();
        if (current == null || now - lastLine < TICK_SECONDS * 1_000_000_000L) {
            return null;
        }
        lastLine = now;
        long elapsed = now - phaseStart;
        StringBuilder line = new StringBuilder(position()).append("still ").append(verb(phase)).append(' ')
                .append(current.label()).append(": ").append(elapsed / 1_000_000_000L).append(" s so far");
        if (phase == Phase.MERGING && rowsDone > 0 && nanosDone > 0) {
            double expected = current.inputRows() * ((double) nanosDone / rowsDone);
            long pct = Math.min(99, Math.round(100 * elapsed / Math.max(1.0, expected)));
            line.append(String.format(Locale.ROOT, ", about %d%% (estimated from this run's %s per second so far)",
                    pct, Units.count(Math.round(rowsDone / (nanosDone / 1e9)), "row")));
        }
        return line.toString();
    }

    private void tick() {
        String line = tickLine();
        if (line != null) {
            err.println(line);
            err.flush();
        }
    }

    /** What Ctrl-C stopped, and what the next command does about it. */
    synchronized List<String> interruptNotice() {
        List<String> out = new ArrayList<>();
        String done = Units.count(committed, "plan") + " committed before";
        String again = "run the same command again to go on";
        if (current == null) {
            out.add("interrupted " + (total < 0 ? "while planning" : "between plans (" + finished + " of " + total
                    + " done)") + "; " + done + "; nothing was half-done.");
            out.add(again + ".");
            return out;
        }
        out.add("interrupted while " + verb(phase) + " " + current.label() + " (plan " + (finished + 1) + " of "
                + total + "); " + done + ".");
        switch (phase) {
            case CHECKING_INPUTS -> out.add("nothing was changed for this table; " + again + ".");
            case MERGING -> out.add("its merged but uncommitted output is discarded: nothing of it reached the data "
                    + "dir, and the next kompactor command (or `kompactor recover " + dataDir + "`) removes the "
                    + "scratch files; " + again + ".");
            case COMMITTING -> out.add("a half-made commit is undone (or, if it was complete, finished) by recovery, "
                    + "which the next kompactor command that writes runs first (or `kompactor recover " + dataDir
                    + "`); " + again + ".");
        }
        return out;
    }

    private String position() {
        return total < 0 ? "" : "[" + (finished + 1) + "/" + total + "] ";
    }

    private static String verb(Phase p) {
        return switch (p) {
            case CHECKING_INPUTS -> "checking the inputs of";
            case MERGING -> "merging";
            case COMMITTING -> "committing";
        };
    }
}
