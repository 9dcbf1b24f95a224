package io.kompactor.simulator;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The only SQL the simulator answers: {@code SELECT <columns> | * FROM system.parquet_files [WHERE table_name =
 * '<name>']}, the query a compactor runs to learn what the running process reads
 * (docs/format.md, "What a running server writes later").
 */
record SystemFilesQuery(List<String> columns, Optional<String> tableName) {
    /**
     * The columns of {@code system.parquet_files} in the docs' order (docs/format.md,
     * "What a running server writes later").
     */
    static final List<String> ALL = List.of("table_name", "path", "size_bytes", "row_count", "min_time", "max_time");

    private static final Pattern SQL = Pattern.compile(
            "\\s*select\\s+(?<cols>\\*|[a-z_]+(?:\\s*,\\s*[a-z_]+)*)\\s+from\\s+system\\.parquet_files"
                    + "(?:\\s+where\\s+table_name\\s*=\\s*'(?<table>(?:[^']|'')*)')?\\s*;?\\s*",
            Pattern.CASE_INSENSITIVE);

    SystemFilesQuery {
        columns = List.copyOf(columns);
    }

    /** @throws IllegalArgumentException for any other SQL (the HTTP layer answers 400) */
    static SystemFilesQuery parse(String sql) {
        Matcher m = SQL.matcher(sql == null ? "" : sql);
        if (!m.matches()) {
            throw new IllegalArgumentException("the simulator answers only SELECT ... FROM system.parquet_files"
                    + " [WHERE table_name = '...'], not: " + sql);
        }
        List<String> cols = m.group("cols").equals("*") ? ALL
                : Arrays.stream(m.group("cols").split(",")).map(c -> c.trim().toLowerCase(Locale.ROOT)).toList();
        for (String c : cols) {
            if (!ALL.contains(c)) {
                throw new IllegalArgumentException("system.parquet_files has no column " + c);
            }
        }
        return new SystemFilesQuery(cols, Optional.ofNullable(m.group("table")).map(t -> t.replace("''", "'")));
    }
}
