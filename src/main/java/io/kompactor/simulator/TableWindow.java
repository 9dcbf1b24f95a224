package io.kompactor.simulator;

/** A table and one of its gen1 buckets ({@code chunk_time}, ns). */
public record TableWindow(TableRef table, long chunkTime) implements Comparable<TableWindow> {
    @Override
    public int compareTo(TableWindow o) {
        int c = table.compareTo(o.table);
        return c != 0 ? c : Long.compare(chunkTime, o.chunkTime);
    }
}
