package io.kompactor.cli;

import io.kompactor.engine.Units;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kompactor.engine.PlanOutcome;
import io.kompactor.engine.RunReport;
import io.kompactor.plan.CompactionPlan;
import io.kompactor.snapshot.Json;

import java.io.PrintWriter;
import java.time.Instant;

/** Prints a run: a progress line per plan as it finishes, then problems, notes and a summary (or one JSON document). */
final class ReportPrinter {
    private final PrintWriter out;
    private final boolean json;
    private final boolean verbose;

    ReportPrinter(PrintWriter out, boolean json, boolean verbose) {
        this.out = out;
        this.json = json;
        this.verbose = verbose;
    }

    void progress(int index, int total, PlanOutcome o) {
        if (json) {
            return;
        }
        CompactionPlan p = o.plan();
        StringBuilder line = new StringBuilder();
        line.append('[').append(index).append('/').append(total).append("] ");
        line.append(switch (o.status()) {
            case PLANNED -> "plan      ";
            case COMMITTED -> "compacted ";
            case FAILED -> "FAILED    ";
        });
        line.append(p.host()).append(" db ").append(p.table().dbId()).append(" table ").append(p.table().tableId());
        if (p.tableName() != null) {
            line.append(" (").append(p.tableName()).append(')');
        }
        line.append(" window ").append(Instant.ofEpochSecond(0, p.windowStart()));
        line.append(": ").append(p.inputs().size()).append(" files, ").append(p.inputRows()).append(" rows, ")
                .append(Units.bytes(p.inputBytes()));
        switch (o.status()) {
            case PLANNED -> line.append(" -> 1 file").append(p.inputBytes() > p.targetFileBytes() ? "s" : "")
                    .append(", at most ").append(p.inputRows()).append(" rows");
            case COMMITTED -> line.append(" -> ").append(o.commit().outputs().size()).append(" file(s), ")
                    .append(o.commit().outputRows()).append(" rows, ").append(Units.bytes(o.commit().outputBytes()))
                    .append(" (").append(Units.seconds(o.durationNanos())).append(')');
            case FAILED -> line.append("\n      ").append(o.error());
        }
        if (verbose) {
            p.inputs().forEach(i -> line.append("\n      input id ").append(i.entry().id()).append(' ')
                    .append(i.entry().path()).append(" (").append(i.entry().rowCount()).append(" rows, ")
                    .append(Units.bytes(i.entry().sizeBytes())).append(')'));
            if (o.commit() != null) {
                o.commit().outputs().forEach(e -> line.append("\n      output id ").append(e.id()).append(' ')
                        .append(e.path()));
            }
        }
        out.println(line);
        out.flush();
    }

    void report(RunReport r) {
        long filesIn = 0, filesOut = 0, bytesIn = 0, bytesOut = 0, rowsIn = 0, rowsOut = 0;
        for (PlanOutcome o : r.outcomes()) {
            if (o.status() == PlanOutcome.Status.FAILED) {
                continue;
            }
            filesIn += o.plan().inputs().size();
            bytesIn += o.plan().inputBytes();
            rowsIn += o.plan().inputRows();
            if (o.commit() != null) {
                filesOut += o.commit().outputs().size();
                bytesOut += o.commit().outputBytes();
                rowsOut += o.commit().outputRows();
            }
        }
        if (json) {
            out.println(Json.pretty(toJson(r, filesIn, filesOut, bytesIn, bytesOut, rowsIn, rowsOut)));
            out.flush();
            return;
        }
        r.recovered().forEach(s -> out.println("recovered: " + s));
        r.problems().forEach(s -> out.println("PROBLEM: " + s));
        if (verbose) {
            r.notes().forEach(s -> out.println("note: " + s));
        }
        long failed = r.count(PlanOutcome.Status.FAILED);
        if (r.dryRun()) {
            out.printf("dry run: %d plan(s), %d file(s), %s, %d rows would be compacted; nothing was changed%n",
                    r.count(PlanOutcome.Status.PLANNED), filesIn, Units.bytes(bytesIn), rowsIn);
        } else if (r.outcomes().isEmpty()) {
            out.println("nothing to compact");
        } else {
            out.printf("compacted %d plan(s)%s: files %d -> %d, bytes %s -> %s, rows %d -> %d, in %s%n",
                    r.count(PlanOutcome.Status.COMMITTED), failed > 0 ? ", " + failed + " FAILED" : "",
                    filesIn, filesOut, Units.bytes(bytesIn), Units.bytes(bytesOut), rowsIn, rowsOut,
                    Units.seconds(r.durationNanos()));
        }
        out.flush();
    }

    private static ObjectNode toJson(RunReport r, long filesIn, long filesOut, long bytesIn, long bytesOut,
                                     long rowsIn, long rowsOut) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode root = f.objectNode();
        root.put("dry_run", r.dryRun());
        ArrayNode plans = root.putArray("plans");
        for (PlanOutcome o : r.outcomes()) {
            CompactionPlan p = o.plan();
            ObjectNode n = plans.addObject();
            n.put("status", o.status().name().toLowerCase());
            n.put("host", p.host());
            n.put("db_id", p.table().dbId());
            n.put("table_id", p.table().tableId());
            if (p.tableName() != null) {
                n.put("table_name", p.tableName());
            }
            n.put("window_start", Instant.ofEpochSecond(0, p.windowStart()).toString());
            n.put("window_start_ns", p.windowStart());
            n.put("window_end_ns", p.windowEnd());
            ArrayNode in = n.putArray("inputs");
            p.inputs().forEach(i -> in.add(i.entry().toJson()));
            n.put("input_files", p.inputs().size());
            n.put("input_rows", p.inputRows());
            n.put("input_bytes", p.inputBytes());
            if (o.commit() != null) {
                n.put("tx", o.commit().tx());
                ArrayNode outs = n.putArray("outputs");
                o.commit().outputs().forEach(e -> outs.add(e.toJson()));
                n.put("output_rows", o.commit().outputRows());
                n.put("output_bytes", o.commit().outputBytes());
                n.put("seconds", o.durationNanos() / 1e9);
            }
            if (o.error() != null) {
                n.put("error", o.error());
            }
        }
        ArrayNode problems = root.putArray("problems");
        r.problems().forEach(problems::add);
        ArrayNode notes = root.putArray("notes");
        r.notes().forEach(notes::add);
        ArrayNode rec = root.putArray("recovered");
        r.recovered().forEach(rec::add);
        ObjectNode s = root.putObject("summary");
        s.put("plans_committed", r.count(PlanOutcome.Status.COMMITTED));
        s.put("plans_failed", r.count(PlanOutcome.Status.FAILED));
        s.put("plans_planned", r.count(PlanOutcome.Status.PLANNED));
        s.put("files_before", filesIn);
        s.put("files_after", filesOut);
        s.put("bytes_before", bytesIn);
        s.put("bytes_after", bytesOut);
        s.put("rows_before", rowsIn);
        s.put("rows_after", rowsOut);
        s.put("seconds", r.durationNanos() / 1e9);
        return root;
    }
}
