package io.kompactor.testing;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * What a query of one table returns, in a canonical form two loads can be compared with: {@code columns} as
 * {@code name:DUCKDB_TYPE} (tags marked {@code :tag}), {@code rows} as {@code col=value, ...} over the non-null
 * columns in name order (a null and an absent column read the same through the catalog schema), sorted.
 */
public record TableRows(long rowCount, List<String> columns, List<String> rows) {
    public TableRows {
        columns = List.copyOf(columns);
        rows = List.copyOf(rows);
    }

    /** Short, so that assertEquals on whole maps stays readable; {@link ServerOracle#diff} shows the rows. */
    @Override
    public String toString() {
        return rowCount + " rows " + columns + " sha256:" + digest() + (rows.isEmpty() ? "" : " first: " + rows.get(0));
    }

    private String digest() {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            rows.forEach(r -> md.update((r + "\n").getBytes(StandardCharsets.UTF_8)));
            return HexFormat.of().formatHex(md.digest()).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
