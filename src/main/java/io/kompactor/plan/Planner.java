package io.kompactor.plan;

import io.kompactor.snapshot.Checkpoint;
import io.kompactor.snapshot.HostMetadata;
import io.kompactor.snapshot.ParquetFileEntry;
import io.kompactor.snapshot.ServerView;
import io.kompactor.snapshot.Snapshot;
import io.kompactor.snapshot.TableKey;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns what a restarted server would load into plans, one per (db, table, window), by each table's policy
 * (docs/operations.md, "Table policies"). A window never compacted is planned once it has at least the minimum of
 * files and ended the settle time ago. A compacted window with late files (docs/operations.md, "Late data") is merged
 * again at once when a late file repeats keys of its compacted file (a query would return them twice), or once its
 * late data reaches the policy's share of the window's rows or has waited the policy's longest; until then, late files
 * beyond the policy's number are gathered into one late-data file of the window, so the window stays at two files
 * without rewriting the compacted one each time. Files the server would not load, and files marked removed, are left
 * alone.
 */
public final class Planner {
    private static final DateTimeFormatter DIR = DateTimeFormatter.ofPattern("yyyy-MM-dd/HH-mm").withZone(ZoneOffset.UTC);
    private static final Pattern NAMED_SEGMENT = Pattern.compile("(.+)-(\\d+)");

    private final PlannerOptions options;
    private final Clock clock;
    private final LateKeyCheck keys;

    /** A planner that treats every late file as repeating keys (merged at once): no data is read while planning. */
    public Planner(PlannerOptions options, Clock clock) {
        this(options, clock, LateKeyCheck.ASSUME_REPEATED);
    }

    public Planner(PlannerOptions options, Clock clock, LateKeyCheck keys) {
        this.options = options;
        this.clock = clock;
        this.keys = keys;
    }

    public PlannerOptions options() {
        return options;
    }

    public HostPlan plan(HostMetadata metadata) {
        return plan(metadata, t -> Optional.empty());
    }

    /** As {@link #plan(HostMetadata)}; {@code names} gives "db/table" names where known, for the table policies. */
    public HostPlan plan(HostMetadata metadata, Function<TableKey, Optional<String>> names) {
        int n = options.loadedSnapshots() > 0 ? options.loadedSnapshots() : metadata.era().defaultLoadedSnapshots();
        ServerView view = ServerView.of(metadata, n);
        List<String> notes = new ArrayList<>();
        int invisible = metadata.snapshots().size() - view.loadedSnapshots();
        if (view.maxCheckpointSequence() < 0 && invisible > 0) {
            notes.add(count(invisible, "older snapshot") + " beyond the server's window of " + n
                    + " are not loaded by the server; their files are left alone");
        }
        Map<Long, Instant> persisted = persistedAt(metadata);
        long now = clock.instant().toEpochMilli() * 1_000_000L;
        List<CompactionPlan> plans = new ArrayList<>();
        for (Map.Entry<TableKey, List<ParquetFileEntry>> t : view.visible().entrySet()) {
            TableKey table = t.getKey();
            Optional<String> name = names.apply(table).or(() -> nameFromPath(t.getValue(), table));
            TablePolicy policy = options.policies().forTable(table, k -> name);
            String label = "table " + table + name.map(x -> " (" + x + ")").orElse("");
            if (!policy.included()) {
                notes.add(label + ": left alone, " + policy.name());
                continue;
            }
            Map<Long, List<PlanInput>> windows = new TreeMap<>();
            int skippedRemoved = 0;
            long windowNs = policy.windowNanos();
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
                notes.add(label + ": " + count(skippedRemoved, "file") + " marked removed left alone");
            }
            for (Map.Entry<Long, List<PlanInput>> w : windows.entrySet()) {
                Window window = new Window(metadata, table, name.orElse(null), policy, w.getKey(),
                        w.getKey() + windowNs, w.getValue());
                String why = window.compacted().isEmpty() ? fresh(window, now, plans)
                        : late(window, now, persisted, plans);
                if (why != null) {
                    notes.add(label + " window " + Instant.ofEpochSecond(0, window.start) + ": " + why);
                }
            }
        }
        return new HostPlan(metadata, view, plans, notes);
    }

    /** A window never compacted. Returns why it is left alone, or null when planned. */
    private String fresh(Window w, long now, List<CompactionPlan> plans) {
        if (w.inputs.size() < w.policy.minInputs()) {
            return count(w.inputs.size(), "file") + ", fewer than --min-files " + w.policy.minInputs() + ", left alone";
        }
        if (w.end > now - w.policy.settle().toNanos()) {
            return "not settled yet (ends less than " + w.policy.settle() + " ago); left for a later run";
        }
        plans.add(w.plan(w.inputs, CompactionPlan.Kind.FULL, "new window"));
        return null;
    }

    /** A compacted window: merged again, late files gathered, or left to wait. Returns why it waits, or null. */
    private String late(Window w, long now, Map<Long, Instant> persisted, List<CompactionPlan> plans) {
        List<PlanInput> base = w.compacted().stream().filter(i -> !CompactedName.isLate(i.entry().path())).toList();
        List<PlanInput> gathered = w.compacted().stream().filter(i -> CompactedName.isLate(i.entry().path())).toList();
        List<PlanInput> late = w.inputs.stream().filter(i -> !i.compacted()).toList();
        if (late.isEmpty() && gathered.size() <= 1 && (gathered.isEmpty() || base.isEmpty())) {
            return "one compacted file, nothing to merge";
        }
        TablePolicy.LatePolicy lp = w.policy.late();
        if (base.isEmpty()) {
            plans.add(w.plan(w.inputs, CompactionPlan.Kind.FULL, "late data of a window without a compacted file"));
            return null;
        }
        if (!late.isEmpty() && keys.repeats(w.metadata.layout().dataDir(), entries(base), entries(late))) {
            plans.add(w.plan(w.inputs, CompactionPlan.Kind.FULL, "late files repeat keys of the compacted file"));
            return null;
        }
        long baseRows = base.stream().mapToLong(i -> i.entry().rowCount()).sum();
        long lateRows = late.stream().mapToLong(i -> i.entry().rowCount()).sum()
                + gathered.stream().mapToLong(i -> i.entry().rowCount()).sum();
        double share = baseRows == 0 ? 1 : (double) lateRows / baseRows;
        if (share >= lp.maxShare()) {
            plans.add(w.plan(w.inputs, CompactionPlan.Kind.FULL, String.format(java.util.Locale.ROOT,
                    "late data reached %.1f%% of the window's rows (max-share %.1f%%)", 100 * share, 100 * lp.maxShare())));
            return null;
        }
        Duration waited = Duration.ZERO;
        for (PlanInput i : w.inputs) {
            if (!i.compacted() || CompactedName.isLate(i.entry().path())) {
                Instant since = i.compacted() ? fileTime(w, i) : persisted.getOrDefault(i.entry().id(), Instant.EPOCH);
                Duration d = Duration.ofNanos(Math.max(0, now - (since.getEpochSecond() * 1_000_000_000L + since.getNano())));
                waited = d.compareTo(waited) > 0 ? d : waited;
            }
        }
        if (waited.compareTo(lp.maxWait()) >= 0) {
            plans.add(w.plan(w.inputs, CompactionPlan.Kind.FULL, "late data waited " + waited + " (max-wait "
                    + lp.maxWait() + ")"));
            return null;
        }
        int extras = gathered.size() + late.size();
        if (extras > lp.maxFiles()) {
            List<PlanInput> toGather = new ArrayList<>(gathered);
            toGather.addAll(late);
            plans.add(w.plan(toGather, CompactionPlan.Kind.LATE, extras + " late files beside the compacted one (max-files "
                    + lp.maxFiles() + "): gathered into one"));
            return null;
        }
        return count(extras, "late file") + " beside the compacted one wait: " + String.format(java.util.Locale.ROOT, "%.1f%%",
                100 * share) + " of its rows (merged again at " + String.format(java.util.Locale.ROOT, "%.1f%%",
                100 * lp.maxShare()) + "), oldest waited " + waited + " of " + lp.maxWait() + ", no key repeated";
    }

    /** When our late-data file was written: its modification time (the metadata keeps the listing snapshot's). */
    private static Instant fileTime(Window w, PlanInput i) {
        try {
            return java.nio.file.Files.getLastModifiedTime(w.metadata.layout().dataDir().resolve(i.entry().path()))
                    .toInstant();
        } catch (java.io.IOException e) {
            return Instant.EPOCH;
        }
    }

    private static List<ParquetFileEntry> entries(List<PlanInput> l) {
        return l.stream().map(PlanInput::entry).toList();
    }

    /** When each file was persisted: the mtime of the snapshot that lists it (the server's persisted_at). */
    private static Map<Long, Instant> persistedAt(HostMetadata m) {
        Map<Long, Instant> out = new HashMap<>();
        for (Checkpoint c : m.checkpoints()) {
            c.doc().allFiles().forEach(f -> out.put(f.id(), c.doc().mtime().toInstant()));
        }
        for (Snapshot s : m.snapshots()) {
            s.doc().allFiles().forEach(f -> out.put(f.id(), s.doc().mtime().toInstant()));
        }
        return out;
    }

    /** One window of one table, with the plan it becomes. */
    private final class Window {
        final HostMetadata metadata;
        final TableKey table;
        final String tableName;
        final TablePolicy policy;
        final long start;
        final long end;
        final List<PlanInput> inputs;

        Window(HostMetadata metadata, TableKey table, String tableName, TablePolicy policy, long start, long end,
               List<PlanInput> inputs) {
            this.metadata = metadata;
            this.table = table;
            this.tableName = tableName;
            this.policy = policy;
            this.start = start;
            this.end = end;
            this.inputs = inputs;
        }

        List<PlanInput> compacted() {
            return inputs.stream().filter(PlanInput::compacted).toList();
        }

        CompactionPlan plan(List<PlanInput> in, CompactionPlan.Kind kind, String reason) {
            List<PlanInput> sorted = new ArrayList<>(in);
            sorted.sort(Comparator.comparingLong(PlanInput::writeOrder).thenComparingLong(i -> i.entry().id()));
            String newestPath = sorted.get(sorted.size() - 1).entry().path();
            return new CompactionPlan(metadata.layout().dataDir(), metadata.host(), table, tableName, start, end,
                    sorted, outputDir(newestPath, metadata.host(), table, start), policy.targetFileBytes(), kind,
                    policy.name(), reason);
        }
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

    private static Optional<String> nameFromPath(List<ParquetFileEntry> files, TableKey table) {
        for (ParquetFileEntry f : files) {
            String n = tableName(f.path(), table);
            if (n != null) {
                return Optional.of(n);
            }
        }
        return Optional.empty();
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
