package io.kompactor.parquet;

/** Quoting for the few places where DuckDB cannot take a bound parameter (identifiers, COPY options). */
public final class Sql {

    private Sql() {
    }

    /**
     * A double-quoted identifier; DuckDB matches it case-insensitively all the same
     * (docs/architecture.md, "DuckDB facts the merge relies on").
     */
    public static String ident(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    /** A single-quoted string literal. */
    public static String literal(String value) {
        return '\'' + value.replace("'", "''") + '\'';
    }
}
