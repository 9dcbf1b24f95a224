package io.kompactor.parquet;

/** One top-level column of a parquet file as DuckDB types it ({@code parquet_schema().duckdb_type}). */
public record ParquetColumn(String name, String duckdbType) {
}
