package io.kompactor.deadletter;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.kompactor.engine.Failure;
import io.kompactor.plan.CompactionPlan;
import io.kompactor.plan.PlanInput;
import io.kompactor.snapshot.ParquetFileEntry;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One plan that failed after its retries, as written to {@code <state-dir>/dead-letter/<id>.json}. It leads with what
 * went wrong: {@code message} is the failing file and the cause ({@link Failure}), {@code file} the failing input
 * (an object path, null when no input is to blame). The plan's inputs are a list of their own at the end, never inside
 * the message. Times are ISO instants; {@code windowStart}/{@code windowEnd} are nanoseconds since the epoch, as in the
 * snapshots. A record without a plan ({@code dbId} -1) is a failure before planning (e.g. unreadable metadata of a
 * host).
 */
public record DeadLetter(String id, String message, String file, String host, String window, long dbId, long tableId,
                         String tableName, String exceptionClass, List<String> causes, List<String> detail,
                         int attempts, List<String> retries, String time, String routeId, String dataDir,
                         long windowStart, long windowEnd, long targetFileBytes, List<ParquetFileEntry> inputs,
                         String stack) {

    public DeadLetter {
        inputs = inputs == null ? List.of() : List.copyOf(inputs);
        causes = causes == null ? List.of() : List.copyOf(causes);
        detail = detail == null ? List.of() : List.copyOf(detail);
        retries = retries == null ? List.of() : List.copyOf(retries);
    }

    /** Builds the record for a failed plan ({@code plan} may be null when planning itself failed). */
    public static DeadLetter of(String id, Instant now, String dataDir, String host, CompactionPlan plan, Throwable error,
                                int attempts, String routeId) {
        Failure f = Failure.of(plan, error);
        StringWriter sw = new StringWriter();
        if (error != null) {
            error.printStackTrace(new PrintWriter(sw));
        }
        String exceptionClass = error == null ? null : error.getClass().getName();
        if (plan == null) {
            return new DeadLetter(id, f.message(), null, host, null, -1, -1, null, exceptionClass, f.causes(),
                    f.detail(), attempts, List.of(), now.toString(), routeId, dataDir, 0, 0, 0, List.of(), sw.toString());
        }
        return new DeadLetter(id, f.message(), f.file(), plan.host(),
                Instant.ofEpochSecond(0, plan.windowStart()) + "/" + Instant.ofEpochSecond(0, plan.windowEnd()),
                plan.table().dbId(), plan.table().tableId(), plan.tableName(), exceptionClass, f.causes(), f.detail(),
                attempts, List.of(), now.toString(), routeId, plan.dataDir().toAbsolutePath().toString(),
                plan.windowStart(), plan.windowEnd(), plan.targetFileBytes(),
                plan.inputs().stream().map(PlanInput::entry).toList(), sw.toString());
    }

    @JsonIgnore
    public boolean hasPlan() {
        return dbId >= 0;
    }

    /** True when this record stands for the same (host, db, table, window) as the plan. */
    public boolean matches(CompactionPlan plan) {
        return hasPlan() && host.equals(plan.host()) && dbId == plan.table().dbId() && tableId == plan.table().tableId()
                && windowStart == plan.windowStart() && windowEnd == plan.windowEnd();
    }

    /** {@code db/table (db name/table name)}, or "-" for a host-level record. */
    @JsonIgnore
    public String table() {
        return hasPlan() ? dbId + "/" + tableId + (tableName == null ? "" : " (" + tableName + ")") : "-";
    }

    public DeadLetter withRetry(String line) {
        List<String> r = new ArrayList<>(retries);
        r.add(line);
        return new DeadLetter(id, message, file, host, window, dbId, tableId, tableName, exceptionClass, causes, detail,
                attempts, r, time, routeId, dataDir, windowStart, windowEnd, targetFileBytes, inputs, stack);
    }

    public DeadLetter withAttempts(int n) {
        return new DeadLetter(id, message, file, host, window, dbId, tableId, tableName, exceptionClass, causes, detail,
                n, retries, time, routeId, dataDir, windowStart, windowEnd, targetFileBytes, inputs, stack);
    }

    /**
     * What a notification needs, as a map to marshal (the README's alert example: {@code marshal: json}): never
     * build JSON by concatenating a message, which may hold quotes and newlines.
     */
    public Map<String, Object> alert() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("text", "kompactor dead-lettered " + this);
        m.put("id", id);
        m.put("message", message);
        m.put("file", file);
        m.put("host", host);
        m.put("table", table());
        m.put("window", window);
        m.put("attempts", attempts);
        m.put("time", time);
        m.put("data_dir", dataDir);
        return m;
    }

    /** One line for logs and alerts: the failing file and the cause first, then where and which record. */
    @Override
    public String toString() {
        return message + " [" + host + (hasPlan() ? " " + table() : "") + (window == null ? "" : " " + window)
                + ", " + attempts + (attempts == 1 ? " attempt" : " attempts") + ", id " + id + "]";
    }
}
