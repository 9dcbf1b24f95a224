package io.kompactor.parquet;

/**
 * InfluxDB 3 column types, with the {@code iox::column::type} value Core stores in each Arrow field's metadata
 * and the type DuckDB gives the column when it reads a Core parquet file.
 */
public enum InfluxType {
    TAG("iox::column_type::tag", "VARCHAR"),
    FLOAT("iox::column_type::field::float", "DOUBLE"),
    INTEGER("iox::column_type::field::integer", "BIGINT"),
    UINTEGER("iox::column_type::field::uinteger", "UBIGINT"),
    STRING("iox::column_type::field::string", "VARCHAR"),
    BOOLEAN("iox::column_type::field::boolean", "BOOLEAN"),
    TIME("iox::column_type::timestamp", "TIMESTAMP_NS");

    /** Field-metadata key under which Core records the column type. */
    public static final String FIELD_METADATA_KEY = "iox::column::type";

    private final String ioxColumnType;
    private final String duckdbType;

    InfluxType(String ioxColumnType, String duckdbType) {
        this.ioxColumnType = ioxColumnType;
        this.duckdbType = duckdbType;
    }

    public String ioxColumnType() {
        return ioxColumnType;
    }

    public String duckdbType() {
        return duckdbType;
    }

    public boolean isField() {
        return this != TAG && this != TIME;
    }

    /** @throws IllegalArgumentException for a value Core never writes */
    public static InfluxType fromIoxColumnType(String value) {
        for (InfluxType t : values()) {
            if (t.ioxColumnType.equals(value)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown " + FIELD_METADATA_KEY + " value: " + value);
    }
}
