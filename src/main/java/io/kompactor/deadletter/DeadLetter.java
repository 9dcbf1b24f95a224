package io.kompactor.deadletter;

import io.kompactor.plan.CompactionPlan;
import io.kompactor.plan.PlanInput;
import io.kompactor.snapshot.ParquetFileEntry;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One plan that failed after its retries, as written to {@code <state-dir>/dead-letter/<id>.json}. Times are ISO
 * instants; {@code windowStart}/{@code windowEnd} are nanoseconds since the epoch, as in the snapshots. A record
 * without a plan ({@code dbId} -1) is a failure before planning (e.g. unreadable metadata of a host).
 */
public record DeadLetter(String id, String time, String dataDir, String host, long dbId, long tableId,
                         String tableName, long windowStart, long windowEnd, String window, long targetFileBytes,
                         List<ParquetFileEntry> inputs, String exceptionClass, String message, List<String> causes,
                         String stack, int attempts, String routeId, List<String> retries) {

    public DeadLetter {
        inputs = inputs == null ? List.of() : List.copyOf(inputs);
        causes = causes == null ? List.of() : List.copyOf(causes);
        retries = retries == null ? List.of() : List.copyOf(retries);
    }

    /** Builds the record for a failed plan ({@code plan} may be null when planning itself failed). */
    public static DeadLetter of(String id, Instant now, String dataDir, String host, CompactionPlan plan, Throwable error,
                                int attempts, String routeId) {
        List<String> causes = new ArrayList<>();
        for (Throwable c = error == null ? null : error.getCause(); c != null && causes.size() < 10; c = c.getCause()) {
            causes.add(c.getClass().getName() + ": " + c.getMessage());
        }
        StringWriter sw = new StringWriter();
        if (error != null) {
            error.printStackTrace(new PrintWriter(sw));
        }
        if (plan == null) {
            return new DeadLetter(id, now.toString(), dataDir, host, -1, -1, null, 0, 0, null, 0, List.of(),
                    error == null ? null : error.getClass().getName(), error == null ? "unknown failure" : error.getMessage(),
                    causes, sw.toString(), attempts, routeId, List.of());
        }
        return new DeadLetter(id, now.toString(), plan.dataDir().toAbsolutePath().toString(), plan.host(),
                plan.table().dbId(), plan.table().tableId(), plan.tableName(), plan.windowStart(), plan.windowEnd(),
                Instant.ofEpochSecond(0, plan.windowStart()) + "/" + Instant.ofEpochSecond(0, plan.windowEnd()),
                plan.targetFileBytes(), plan.inputs().stream().map(PlanInput::entry).toList(),
                error == null ? null : error.getClass().getName(), error == null ? "unknown failure" : error.getMessage(),
                causes, sw.toString(), attempts, routeId, List.of());
    }

    public boolean hasPlan() {
        return dbId >= 0;
    }

    /** True when this record stands for the same (host, db, table, window) as the plan. */
    public boolean matches(CompactionPlan plan) {
        return hasPlan() && host.equals(plan.host()) && dbId == plan.table().dbId() && tableId == plan.table().tableId()
                && windowStart == plan.windowStart() && windowEnd == plan.windowEnd();
    }

    public String table() {
        return hasPlan() ? dbId + "/" + tableId + (tableName == null ? "" : " (" + tableName + ")") : "-";
    }

    public DeadLetter withRetry(String line) {
        List<String> r = new ArrayList<>(retries);
        r.add(line);
        return new DeadLetter(id, time, dataDir, host, dbId, tableId, tableName, windowStart, windowEnd, window,
                targetFileBytes, inputs, exceptionClass, message, causes, stack, attempts, routeId, r);
    }

    public DeadLetter withAttempts(int n) {
        return new DeadLetter(id, time, dataDir, host, dbId, tableId, tableName, windowStart, windowEnd, window,
                targetFileBytes, inputs, exceptionClass, message, causes, stack, n, routeId, retries);
    }

    /** One line for logs: id, where, and what went wrong. */
    @Override
    public String toString() {
        return id + " " + host + " " + table() + (window == null ? "" : " " + window) + ": " + exceptionClass + ": "
                + message;
    }
}
