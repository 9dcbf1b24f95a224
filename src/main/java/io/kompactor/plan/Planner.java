package io.kompactor.plan;

import io.kompactor.snapshot.HostMetadata;
import io.kompactor.snapshot.ParquetFileEntry;
import io.kompactor.snapshot.ServerView;
import io.kompactor.snapshot.TableKey;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns what a restarted server would load into plans: one per (db, table, window) with at least
 * {@code minInputs} files, whose window ended at least {@code settle} ago. Files the server would not load, and
 * files marked removed, are left alone.
 */
public final class Planner {
    private static final DateTimeFormatter DIR = DateTimeFormatter.ofPattern("yyyy-MM-dd/HH-mm").withZone(ZoneOffset.UTC);
    private static final Pattern NAMED_SEGMENT = Pattern.compile("(.+)-(\\d+)");

    private final PlannerOptions options;
    private final Clock clock;

    public Planner(PlannerOptions options, Clock clock) {
        this.options = options;
        this.clock = clock;
    }

    public PlannerOptions options() {
        return options;
    }

    public HostPlan plan(HostMetadata metadata) {
        int n = options.loadedSnapshots() > 0 ? options.loadedSnapshots() : metadata.era().defaultLoadedSnapshots();
        ServerView view = ServerView.of(metadata, n);
        List<String> notes = new ArrayList<>();
        int invisible = metadata.snapshots().size() - view.loadedSnapshots();
        if (view.maxCheckpointSequence() < 0 && invisible > 0) {
            notes.add(count(invisible, "older snapshot") + " beyond the server's window of " + n
                    + " are not loaded by the server; their files are left alone");
        }
        long now = clock.instant().toEpochMilli() * 1_000_000L;
        long windowNs = options.windowNanos();
        List<CompactionPlan> plans = new ArrayList<>();
        for (Map.Entry<TableKey, List<ParquetFileEntry>> t : view.visible().entrySet()) {
            Map<Long, List<PlanInput>> windows = new TreeMap<>();
            int skippedRemoved = 0;
            for (ParquetFileEntry e : t.getValue()) {
                if (view.removedIds().contains(e.id())) {
                    skippedRemoved++;
                    continue;
                }
                long start = Math.floorDiv(e.chunkTime(), windowNs) * windowNs;
                long order = CompactedName.writeOrderOf(e.path()).orElse(e.id());
                windows.computeIfAbsent(start, k -> new ArrayList<>())
                        .add(new PlanInput(e, order, CompactedName.writeOrderOf(e.path()).isPresent()));
            }
            if (skippedRemoved > 0) {
                notes.add("table " + t.getKey() + ": " + count(skippedRemoved, "file") + " marked removed left alone");
            }
            for (Map.Entry<Long, List<PlanInput>> w : windows.entrySet()) {
                List<PlanInput> inputs = w.getValue();
                long start = w.getKey();
                long end = start + windowNs;
                if (inputs.size() < 2 && inputs.get(0).compacted()) {
                    notes.add("table " + t.getKey() + " window " + Instant.ofEpochSecond(0, start)
                            + ": one compacted file, nothing to merge");
                    continue;
                }
                if (inputs.size() < options.minInputs()) {
                    notes.add("table " + t.getKey() + " window " + Instant.ofEpochSecond(0, start) + ": "
                            + count(inputs.size(), "file") + ", fewer than --min-files " + options.minInputs()
                            + ", left alone");
                    continue;
                }
                if (end > now - options.settle().toNanos()) {
                    notes.add("table " + t.getKey() + " window " + Instant.ofEpochSecond(0, start)
                            + ": not settled yet, left for a later run");
                    continue;
                }
                inputs.sort(Comparator.comparingLong(PlanInput::writeOrder).thenComparingLong(i -> i.entry().id()));
                String newestPath = inputs.get(inputs.size() - 1).entry().path();
                plans.add(new CompactionPlan(metadata.layout().dataDir(), metadata.host(), t.getKey(),
                        tableName(newestPath, t.getKey()), start, end, inputs,
                        outputDir(newestPath, metadata.host(), t.getKey(), start), options.targetFileBytes()));
            }
        }
        return new HostPlan(metadata, view, plans, notes);
    }

    /** "1 file", "2 files". */
    private static String count(long n, String noun) {
        return n + " " + (n == 1 ? noun : noun + "s");
    }

    /**
     * The inputs' directory scheme (names before 3.6, ids after; the newest input's when they differ) with the
     * window start's date folder.
     */
    static String outputDir(String newestPath, String host, TableKey table, long windowStart) {
        String[] seg = newestPath.split("/");
        String base;
        if (seg.length >= 7 && seg[seg.length - 6].equals("dbs")) {
            base = String.join("/", java.util.Arrays.copyOf(seg, seg.length - 3));
        } else {
            base = host + "/dbs/" + table.dbId() + "/" + table.tableId();
        }
        return base + "/" + DIR.format(Instant.ofEpochSecond(0, windowStart));
    }

    /** {@code db/table} names when the path carries them (before 3.6), else null. */
    static String tableName(String path, TableKey table) {
        String[] seg = path.split("/");
        if (seg.length < 7 || !seg[seg.length - 6].equals("dbs")) {
            return null;
        }
        Matcher db = NAMED_SEGMENT.matcher(seg[seg.length - 5]);
        Matcher tb = NAMED_SEGMENT.matcher(seg[seg.length - 4]);
        if (db.matches() && tb.matches() && db.group(2).equals(Long.toString(table.dbId()))
                && tb.group(2).equals(Long.toString(table.tableId()))) {
            return db.group(1) + "/" + tb.group(1);
        }
        return null;
    }
}
