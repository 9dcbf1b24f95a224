package io.kompactor.testing;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One parquet file the server would query, as its metadata lists it. {@code writeOrder} decides which of two rows
 * with the same key wins: the file id for the server's own files, the recorded order for the product's compacted
 * files ({@code kompacted-<order>-<id>.parquet}), whose reserved ids say nothing about when their data was written.
 */
public record OracleFile(long dbId, long tableId, long id, String path, long sizeBytes, long rowCount,
                         long chunkTime, long minTime, long maxTime) {

    private static final Pattern COMPACTED = Pattern.compile("kompacted-(?:late-)?(\\d+)-(\\d+)\\.parquet");

    public String table() {
        return dbId + "/" + tableId;
    }

    public long writeOrder() {
        Matcher m = COMPACTED.matcher(path.substring(path.lastIndexOf('/') + 1));
        return m.matches() ? Long.parseLong(m.group(1)) : id;
    }
}
