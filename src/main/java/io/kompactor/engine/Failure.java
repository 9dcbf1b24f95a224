package io.kompactor.engine;

import io.kompactor.config.Units;
import io.kompactor.plan.CompactionPlan;
import io.kompactor.plan.PlanInput;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What went wrong with a plan, for people: the failing file (relative to the data dir, when the error names one of the
 * plan's inputs) and the cause, first; the plan's inputs are never repeated in the text (a day of 10-minute files is
 * 144 paths), and the causes keep only what adds to the message. A page-level DuckDB error of the statement that
 * found a broken file, for example, says nothing about that file ("don't know what type ...") and is left out.
 *
 * @param file    the failing input as an object path ({@code node0/dbs/...}), or null when none is named
 * @param message one line, leading with the file and the cause: {@code node0/dbs/.../7.parquet: unreadable data (...)}
 * @param detail  every problem, one per element, the inputs list replaced by its size
 * @param causes  the meaningful chain below the error ({@code class: message}), outermost first
 */
public record Failure(String file, String message, List<String> detail, List<String> causes) {
    private static final Pattern PATH_LIST = Pattern.compile("\\[(?:[^\\[\\],]+\\.parquet)(?:, [^\\[\\],]+\\.parquet)*]");

    public Failure {
        detail = List.copyOf(detail);
        causes = List.copyOf(causes);
    }

    /** The problems beyond the one in {@link #message}: other files, other checks (empty when there is none). */
    public List<String> others() {
        if (file == null) {
            return List.of();
        }
        String cause = message.substring(file.length() + 2);
        return detail.stream().filter(l -> !l.contains(cause) && !l.endsWith(":")).toList();
    }

    /** {@code plan} may be null (a failure before planning, e.g. unreadable metadata of a host). */
    public static Failure of(CompactionPlan plan, Throwable error) {
        String raw = error == null ? "unknown failure" : text(error);
        String cleaned = clean(raw, plan);
        List<String> detail = problems(cleaned, plan);
        String file = null;
        String message = String.join(" ", detail);
        if (plan != null) {
            Located at = locate(cleaned, plan);
            if (at != null) {
                file = at.objectPath();
                message = at.objectPath() + ": " + at.cause();
            }
        }
        List<String> causes = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        int depth = 0;
        for (Throwable c = error == null ? null : error.getCause(); c != null && depth < 10; c = c.getCause(), depth++) {
            String m = c.getMessage() == null ? "" : clean(c.getMessage(), plan).strip();
            if (m.isEmpty() || cleaned.contains(m) || !seen.add(m)) {
                continue; // says nothing the message does not already say
            }
            if (file != null && c instanceof java.sql.SQLException && !m.contains(file)) {
                continue; // the statement's error, not the file's: the merge named the file by decoding each input
            }
            causes.add(c.getClass().getName() + ": " + String.join(" ", m.lines().map(String::strip).toList()));
        }
        return new Failure(file, message, detail, causes);
    }

    /** One problem per line; "a: x; b: y" lists of problems split too; inputs by their object path. */
    private static List<String> problems(String text, CompactionPlan plan) {
        String t = text;
        if (plan != null) {
            for (PlanInput i : plan.inputs()) {
                t = t.replace("; " + plan.resolve(i) + ": ", "\n" + i.entry().path() + ": ")
                        .replace(plan.resolve(i) + ": ", i.entry().path() + ": ");
            }
        }
        return t.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    }

    private static String text(Throwable e) {
        return e.getMessage() != null && !e.getMessage().isBlank() ? e.getMessage() : e.getClass().getName();
    }

    /** The plan's label and its list of inputs out of the text: the record and the output say both already. */
    private static String clean(String s, CompactionPlan plan) {
        if (plan == null) {
            return s;
        }
        List<String> paths = plan.inputs().stream().map(i -> plan.resolve(i).toString()).toList();
        String n = Units.count(paths.size(), "input");
        String out = s.replace(paths.toString(), n);
        out = PATH_LIST.matcher(out).replaceAll(n);
        String label = plan.label() + ": ";
        while (out.contains(label)) {
            out = out.replace(label, "");
        }
        return out;
    }

    private record Located(String objectPath, String cause) {
    }

    /** The first place the text names an input as {@code <path>: <cause>}; the cause runs to the next problem. */
    private static Located locate(String text, CompactionPlan plan) {
        int best = -1;
        String bestPath = null;
        String bestObject = null;
        for (PlanInput i : plan.inputs()) {
            for (String p : List.of(plan.resolve(i).toString(), i.entry().path())) {
                int at = text.indexOf(p + ": ");
                if (at >= 0 && (best < 0 || at < best)) {
                    best = at;
                    bestPath = p;
                    bestObject = i.entry().path();
                }
                if (at >= 0) {
                    break; // the absolute path contains the object path: take the longer match
                }
            }
        }
        if (best < 0) {
            return null;
        }
        int start = best + bestPath.length() + 2;
        int end = text.indexOf('\n', start);
        end = end < 0 ? text.length() : end;
        for (PlanInput i : plan.inputs()) {
            int next = text.indexOf("; " + plan.resolve(i), start);
            if (next >= 0 && next < end) {
                end = next;
            }
        }
        return new Located(bestObject, text.substring(start, end).strip());
    }
}
