package io.kompactor.merge;

import io.kompactor.merge.TimeRanges.Range;
import io.kompactor.merge.TimeRanges.Slice;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TimeRangesTest {

    @Test
    void overlapsAreWhereTwoOrMoreRangesMeet() {
        assertEquals(List.of(), TimeRanges.overlaps(List.of(new Range(0, 9), new Range(10, 19))));
        assertEquals(List.of(new Range(9, 9)), TimeRanges.overlaps(List.of(new Range(0, 9), new Range(9, 19))));
        assertEquals(List.of(new Range(5, 9), new Range(20, 25)), TimeRanges.overlaps(List.of(
                new Range(0, 9), new Range(5, 14), new Range(20, 30), new Range(18, 25))));
        // nested and chained overlaps merge into one range
        assertEquals(List.of(new Range(2, 12)), TimeRanges.overlaps(List.of(
                new Range(0, 100), new Range(2, 8), new Range(6, 12))));
        assertEquals(List.of(new Range(3, 3)), TimeRanges.overlaps(List.of(new Range(3, 3), new Range(3, 3))));
    }

    @Test
    void slicesCoverTheRangeContiguously() {
        assertEquals(List.of(new Slice(0, 10)), TimeRanges.slices(0, 9, 1));
        assertEquals(List.of(new Slice(0, 5), new Slice(5, 10)), TimeRanges.slices(0, 9, 2));
        assertEquals(List.of(new Slice(0, 4), new Slice(4, 8), new Slice(8, 10)), TimeRanges.slices(0, 9, 3));
        assertEquals(List.of(new Slice(7, 8)), TimeRanges.slices(7, 7, 5));
        assertEquals(1, TimeRanges.sliceCount(100, 100));
        assertEquals(2, TimeRanges.sliceCount(101, 100));
        assertEquals(1, TimeRanges.sliceCount(101, 0));
    }
}
