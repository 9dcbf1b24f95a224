package io.kompactor.simulator;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The in-memory buffer: rows in write order per (table, gen1 chunk). A snapshot persists one file per chunk
 * (docs/format.md, "Fields and eras") and empties the buffer.
 */
final class WriteBuffer {
    /** One (table, chunk_time) of buffered rows, in write order. */
    record Chunk(TableRef table, long chunkTime, List<Row> rows) {
        Chunk {
            rows = List.copyOf(rows);
        }
    }

    private final long gen1Ns;
    private final Map<TableRef, Map<Long, List<Row>>> chunks = new TreeMap<>();

    WriteBuffer(long gen1Ns) {
        this.gen1Ns = gen1Ns;
    }

    void add(TableRef table, List<Row> rows) {
        Map<Long, List<Row>> byChunk = chunks.computeIfAbsent(table, t -> new TreeMap<>());
        for (Row r : rows) {
            byChunk.computeIfAbsent(chunkTime(r.time(), gen1Ns), c -> new ArrayList<>()).add(r);
        }
    }

    /**
     * {@code t - t % gen1} ({@code chunk_time_for_timestamp}, docs/format.md, "Layout of a data dir"). Java's {@code %}
     * truncates toward zero like Rust's, so a negative time maps to the same bucket start the server computes.
     */
    static long chunkTime(long timeNs, long gen1Ns) {
        return timeNs - timeNs % gen1Ns;
    }

    boolean isEmpty() {
        return chunks.isEmpty();
    }

    /** Every chunk, by table then chunk time, and an empty buffer. */
    List<Chunk> drain() {
        List<Chunk> out = new ArrayList<>();
        chunks.forEach((t, byChunk) -> byChunk.forEach((c, rows) -> out.add(new Chunk(t, c, rows))));
        chunks.clear();
        return out;
    }
}
