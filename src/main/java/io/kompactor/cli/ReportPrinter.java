package io.kompactor.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kompactor.engine.Failure;
import io.kompactor.engine.PlanOutcome;
import io.kompactor.engine.ProgressListener;
import io.kompactor.engine.RunReport;
import io.kompactor.config.Units;
import io.kompactor.merge.TimeRanges;
import io.kompactor.plan.CompactionPlan;
import io.kompactor.snapshot.Json;

import java.io.PrintWriter;
import java.time.Instant;

/**
 * Prints a run: a line per plan as it finishes (with {@code -q} only the failed ones), then problems, notes and a
 * summary (or one JSON document).
 */
final class ReportPrinter implements ProgressListener {
    private final PrintWriter out;
    private final boolean json;
    private final boolean verbose;
    private final boolean quiet;

    ReportPrinter(PrintWriter out, boolean json, boolean verbose, boolean quiet) {
        this.out = out;
        this.json = json;
        this.verbose = verbose;
        this.quiet = quiet;
    }

    @Override
    public void planFinished(int index, int total, PlanOutcome o) {
        if (json || quiet && !(o instanceof PlanOutcome.Failed)) {
            return;
        }
        CompactionPlan p = o.plan();
        StringBuilder line = new StringBuilder();
        line.append('[').append(index).append('/').append(total).append("] ");
        line.append(o instanceof PlanOutcome.Planned ? "plan      "
                : o instanceof PlanOutcome.Committed ? "compacted " : "FAILED    ");
        line.append(p.host()).append(" db ").append(p.table().dbId()).append(" table ").append(p.table().tableId());
        if (p.tableName() != null) {
            line.append(" (").append(p.tableName()).append(')');
        }
        line.append(" window ").append(Instant.ofEpochSecond(0, p.windowStart()));
        // which table policy chose the plan and how (docs/operations.md, "Table policies"): the first thing to
        // check when a --policy or kompactor.policy.* setting seems not to apply
        line.append(" (").append(windowHours(p)).append(" h, policy ").append(p.policy())
                .append(p.kind() == CompactionPlan.Kind.LATE ? ", late data" : "").append(')');
        line.append(": ").append(Units.count(p.inputs().size(), "file")).append(", ").append(Units.count(p.inputRows(), "row"))
                .append(", ").append(Units.bytes(p.inputBytes()));
        if (o instanceof PlanOutcome.Planned x) {
            line.append(" -> ").append(Units.count(x.predictedOutputs(), "file"));
            int slices = TimeRanges.sliceCount(p.inputBytes(), p.targetFileBytes());
            if (slices > 1) {
                line.append(" (past --target-size ").append(Units.bytes(p.targetFileBytes())).append(": ")
                        .append(slices).append(" time slices").append(slices > x.predictedOutputs()
                                ? ", " + (slices - x.predictedOutputs()) + " of them without rows" : "").append(')');
            }
            line.append(", at most ").append(Units.count(p.inputRows(), "row"));
        } else if (o instanceof PlanOutcome.Committed c) {
            line.append(" -> ").append(Units.count(c.commit().outputs().size(), "file"))
                    .append(", ").append(Units.count(c.commit().outputRows(), "row")).append(", ")
                    .append(Units.bytes(c.commit().outputBytes())).append(" (").append(Units.seconds(c.durationNanos()))
                    .append(')');
        } else if (o instanceof PlanOutcome.Failed f) {
            Failure why = f.failure();
            line.append("\n      ").append(why.message());
            why.others().forEach(l -> line.append("\n      ").append(l));
        }
        if (verbose) {
            p.inputs().forEach(i -> line.append("\n      input id ").append(i.entry().id()).append(' ')
                    .append(i.entry().path()).append(" (").append(Units.count(i.entry().rowCount(), "row")).append(", ")
                    .append(Units.bytes(i.entry().sizeBytes())).append(')'));
            if (o instanceof PlanOutcome.Committed c) {
                c.commit().outputs().forEach(e -> line.append("\n      output id ").append(e.id()).append(' ')
                        .append(e.path()));
            }
        }
        out.println(line);
        out.flush();
    }

    void report(RunReport r) {
        Totals t = Totals.of(r);
        if (json) {
            out.println(Json.pretty(toJson(r, t)));
            out.flush();
            return;
        }
        r.recovered().forEach(s -> out.println("recovered: " + s));
        r.problems().forEach(s -> out.println("PROBLEM: " + s));
        if (verbose) {
            r.notes().forEach(s -> out.println("note: " + s));
        }
        long failed = r.count(PlanOutcome.Failed.class);
        if (r.dryRun()) {
            out.printf("dry run: %s, %s, %s, %s would be compacted into %s; nothing was changed%n",
                    Units.count(r.count(PlanOutcome.Planned.class), "plan"), Units.count(t.filesIn, "file"),
                    Units.bytes(t.bytesIn), Units.count(t.rowsIn, "row"), Units.count(t.filesOut, "file"));
        } else if (r.outcomes().isEmpty()) {
            out.println("nothing to compact");
        } else {
            out.printf(java.util.Locale.ROOT, "compacted %s%s: files %,d -> %,d, bytes %s -> %s, rows %,d -> %,d, in %s%n",
                    Units.count(r.count(PlanOutcome.Committed.class), "plan"), failed > 0 ? ", " + failed + " FAILED" : "",
                    t.filesIn, t.filesOut, Units.bytes(t.bytesIn), Units.bytes(t.bytesOut), t.rowsIn, t.rowsOut,
                    Units.seconds(r.durationNanos()));
        }
        out.flush();
    }

    /** What the plans that did not fail read and wrote (or, in a dry run, would). */
    private record Totals(long filesIn, long filesOut, long bytesIn, long bytesOut, long rowsIn, long rowsOut) {
        static Totals of(RunReport r) {
            long filesIn = 0, filesOut = 0, bytesIn = 0, bytesOut = 0, rowsIn = 0, rowsOut = 0;
            for (PlanOutcome o : r.outcomes()) {
                if (o instanceof PlanOutcome.Failed) {
                    continue;
                }
                filesIn += o.plan().inputs().size();
                bytesIn += o.plan().inputBytes();
                rowsIn += o.plan().inputRows();
                if (o instanceof PlanOutcome.Committed c) {
                    filesOut += c.commit().outputs().size();
                    bytesOut += c.commit().outputBytes();
                    rowsOut += c.commit().outputRows();
                } else if (o instanceof PlanOutcome.Planned p) {
                    filesOut += p.predictedOutputs();
                }
            }
            return new Totals(filesIn, filesOut, bytesIn, bytesOut, rowsIn, rowsOut);
        }
    }

    private static long windowHours(CompactionPlan p) {
        return (p.windowEnd() - p.windowStart()) / 3_600_000_000_000L;
    }

    private static ObjectNode toJson(RunReport r, Totals t) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode root = f.objectNode();
        root.put("dry_run", r.dryRun());
        ArrayNode plans = root.putArray("plans");
        for (PlanOutcome o : r.outcomes()) {
            CompactionPlan p = o.plan();
            ObjectNode n = plans.addObject();
            n.put("status", o instanceof PlanOutcome.Planned ? "planned"
                    : o instanceof PlanOutcome.Committed ? "committed" : "failed");
            n.put("host", p.host());
            n.put("db_id", p.table().dbId());
            n.put("table_id", p.table().tableId());
            if (p.tableName() != null) {
                n.put("table_name", p.tableName());
            }
            n.put("window_start", Instant.ofEpochSecond(0, p.windowStart()).toString());
            n.put("window_start_ns", p.windowStart());
            n.put("window_end_ns", p.windowEnd());
            n.put("window_hours", windowHours(p));
            n.put("policy", p.policy());
            n.put("kind", p.kind().name().toLowerCase(java.util.Locale.ROOT));
            n.put("reason", p.reason());
            ArrayNode in = n.putArray("inputs");
            p.inputs().forEach(i -> in.add(i.entry().toJson()));
            n.put("input_files", p.inputs().size());
            n.put("input_rows", p.inputRows());
            n.put("input_bytes", p.inputBytes());
            n.put("target_size_bytes", p.targetFileBytes());
            n.put("time_slices", TimeRanges.sliceCount(p.inputBytes(), p.targetFileBytes()));
            if (o instanceof PlanOutcome.Planned x) {
                n.put("predicted_outputs", x.predictedOutputs());
            } else if (o instanceof PlanOutcome.Committed c) {
                n.put("tx", c.commit().tx());
                ArrayNode outs = n.putArray("outputs");
                c.commit().outputs().forEach(e -> outs.add(e.toJson()));
                n.put("output_rows", c.commit().outputRows());
                n.put("output_bytes", c.commit().outputBytes());
                n.put("seconds", c.durationNanos() / 1e9);
            } else if (o instanceof PlanOutcome.Failed x) {
                Failure why = x.failure();
                n.put("error", why.message());
                n.put("error_file", why.file());
                n.put("error_class", x.error().getClass().getName());
                ArrayNode detail = n.putArray("error_detail");
                why.detail().forEach(detail::add);
                ArrayNode causes = n.putArray("error_causes");
                why.causes().forEach(causes::add);
            }
        }
        ArrayNode problems = root.putArray("problems");
        r.problems().forEach(problems::add);
        ArrayNode notes = root.putArray("notes");
        r.notes().forEach(notes::add);
        ArrayNode rec = root.putArray("recovered");
        r.recovered().forEach(rec::add);
        ObjectNode s = root.putObject("summary");
        s.put("plans_committed", r.count(PlanOutcome.Committed.class));
        s.put("plans_failed", r.count(PlanOutcome.Failed.class));
        s.put("plans_planned", r.count(PlanOutcome.Planned.class));
        s.put("files_before", t.filesIn);
        s.put("files_after", t.filesOut);
        s.put("bytes_before", t.bytesIn);
        s.put("bytes_after", t.bytesOut);
        s.put("rows_before", t.rowsIn);
        s.put("rows_after", t.rowsOut);
        s.put("seconds", r.durationNanos() / 1e9);
        return root;
    }
}
