package io.kompactor.merge;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Pure interval arithmetic on ns timestamps: where inputs overlap, and how to cut a window into slices. */
public final class TimeRanges {

    /** An inclusive range [from, to]. */
    record Range(long from, long to) {
        boolean intersects(long lo, long hiExclusive) {
            return from < hiExclusive && to >= lo;
        }
    }

    /** A half-open slice [from, toExclusive) of the output. */
    record Slice(long from, long toExclusive) {
    }

    private TimeRanges() {
    }

    /**
     * The disjoint, sorted ranges of time covered by two or more of the given inclusive ranges: the only times
     * where two inputs can hold the same (tags, time) key.
     */
    static List<Range> overlaps(List<Range> inputs) {
        record Event(long at, int delta) {
        }
        List<Event> events = new ArrayList<>();
        for (Range r : inputs) {
            events.add(new Event(r.from(), +1));
            // An end event just past the inclusive end; Core's times never reach Long.MAX_VALUE.
            events.add(new Event(r.to() + 1, -1));
        }
        // Ends before starts at the same instant: [a,b] and [b+1,c] touch but do not overlap.
        events.sort(Comparator.comparingLong(Event::at).thenComparingInt(Event::delta));
        List<Range> out = new ArrayList<>();
        int depth = 0;
        long start = 0;
        for (Event e : events) {
            int before = depth;
            depth += e.delta();
            if (before < 2 && depth >= 2) {
                start = e.at();
            } else if (before >= 2 && depth < 2) {
                long end = e.at() - 1;
                if (!out.isEmpty() && out.get(out.size() - 1).to() + 1 >= start) {
                    start = out.remove(out.size() - 1).from();
                }
                out.add(new Range(start, end));
            }
        }
        return out;
    }

    /** {@code k} contiguous slices of equal width covering [min, max]; the last one ends just past max. */
    static List<Slice> slices(long min, long max, int k) {
        if (k <= 1 || max <= min) {
            return List.of(new Slice(min, max + 1));
        }
        long span = max - min + 1;
        long width = span / k + (span % k == 0 ? 0 : 1);
        List<Slice> out = new ArrayList<>();
        for (long lo = min; lo <= max; lo += width) {
            out.add(new Slice(lo, Math.min(max + 1, lo + width)));
        }
        return out;
    }

    /** How many files a plan's output is split into: 1 unless the input exceeds the target size. */
    public static int sliceCount(long inputBytes, long targetBytes) {
        if (targetBytes <= 0 || inputBytes <= targetBytes) {
            return 1;
        }
        long k = inputBytes / targetBytes + (inputBytes % targetBytes == 0 ? 0 : 1);
        return (int) Math.min(k, 10_000);
    }
}
