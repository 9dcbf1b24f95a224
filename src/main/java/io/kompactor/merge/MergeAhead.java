package io.kompactor.merge;

import io.kompactor.plan.CompactionPlan;

import java.io.IOException;
import java.nio.file.Files;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Merges the plans of one table ahead of the caller, who takes the results one plan at a time, in plan order, and
 * commits each on its own. While the caller commits a plan, the next one is already merging; and when the plans are
 * small (hourly windows), two merge at once, because one small plan cannot keep the cores busy: most of its time
 * goes to single-threaded steps (footer reads, the stats scan, verification, fsync). Big plans merge one at a
 * time, so that they do not share the memory limit and spill more.
 * <p>
 * Each result is a complete, verified {@link MergeResult} of {@link DuckDbMerger#merge}, or its exception, rethrown
 * by {@link #take}. {@link #close} waits for merges still running and deletes outputs nobody took.
 */
public final class MergeAhead implements AutoCloseable {

    private final DuckDbMerger merger;
    private final List<CompactionPlan> plans;
    private final int parallel;
    private final ExecutorService pool;
    private final Map<CompactionPlan, Future<MergeResult>> running = new IdentityHashMap<>();
    private int submitted;
    /** Set by {@link #close}: merges that have not started yet do nothing. */
    private volatile boolean closed;

    MergeAhead(DuckDbMerger merger, List<CompactionPlan> plans, int parallel) {
        this.merger = merger;
        this.plans = List.copyOf(plans);
        this.parallel = Math.max(1, parallel);
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(this.parallel, r -> {
            Thread t = new Thread(r, "kompactor-merge-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** How many plans merge at once. */
    public int parallel() {
        return parallel;
    }

    /**
     * The merge of {@code plan}, one of the plans given, waiting for it if need be; plans after it start merging
     * meanwhile (up to {@link #parallel} at once, one more queued).
     *
     * @throws MergeException (or another runtime exception) as {@link DuckDbMerger#merge} threw it
     */
    public synchronized MergeResult take(CompactionPlan plan) {
        int index = indexOf(plan);
        while (submitted <= Math.min(plans.size() - 1, index + parallel)) {
            CompactionPlan p = plans.get(submitted++);
            running.put(p, pool.submit(() -> closed ? null : merger.merge(p)));
        }
        Future<MergeResult> f = running.remove(plan);
        if (f == null) {
            throw new IllegalStateException(plan.label() + ": taken twice");
        }
        return await(f);
    }

    private int indexOf(CompactionPlan plan) {
        for (int i = 0; i < plans.size(); i++) {
            if (plans.get(i) == plan) {
                return i;
            }
        }
        throw new IllegalArgumentException(plan.label() + ": not one of this table's plans");
    }

    private static MergeResult await(Future<MergeResult> f) {
        try {
            return f.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new MergeException("merge failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MergeException("interrupted while waiting for a merge", e);
        }
    }

    /**
     * Queued merges are dropped; running ones are waited for and their outputs deleted, as nobody will commit them.
     * Not by cancelling the futures: a cancelled future that is already running goes on, and its output would appear
     * after this returned and stay behind in the tmp dir.
     */
    @Override
    public synchronized void close() {
        closed = true;
        for (Future<MergeResult> f : running.values()) {
            try {
                MergeResult r = f.get();
                if (r != null) {
                    deleteOutputs(r);
                }
            } catch (ExecutionException e) {
                // the merge deleted its own outputs when it failed
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        running.clear();
        pool.shutdown();
    }

    private static void deleteOutputs(MergeResult r) {
        for (MergedFile out : r.outputs()) {
            try {
                Files.deleteIfExists(out.tmpFile());
            } catch (IOException e) {
                // a leftover temp file is swept with the tmp dir
            }
        }
    }
}
