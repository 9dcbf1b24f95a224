package io.kompactor.config;

/**
 * One setting: its key, its default (as written in config/application.properties), what it means, how its value is
 * checked, the command-line flag that sets it for one-shot commands (null when only {@code run} reads it), and
 * whether a table policy may set it per database or table (docs/operations.md, "Settings").
 */
public record Setting(String key, String defaultValue, String doc, Kind kind, String flag, boolean perTable) {

    /** How a value is checked: each kind has one parser, in {@link Units} or here. */
    public enum Kind {
        /** INT: a whole number, 0 or more; COUNT: 1 or more; WINDOW_HOURS: divides 24 or is a multiple of 24. */
        TEXT, INT, COUNT, WINDOW_HOURS, DECIMAL, DURATION, SIZE, LIST, PATH, URL, DUCKDB_SIZE;
    }

    /** Null when {@code value} is valid for this setting, else why not. */
    public String problem(String value) {
        String v = value == null ? "" : value.trim();
        try {
            switch (kind) {
                case INT -> {
                    if (!v.isEmpty() && Long.parseLong(v) < 0) {
                        return "must not be negative, got " + v;
                    }
                }
                case COUNT -> {
                    if (Long.parseLong(v) < 1) {
                        return "must be at least 1, got " + v;
                    }
                }
                case WINDOW_HOURS -> {
                    long h = Long.parseLong(v);
                    if (h <= 0 || (24 % h != 0 && h % 24 != 0)) {
                        return "a window must divide 24 or be a multiple of 24 hours, got " + v;
                    }
                }
                case DECIMAL -> {
                    if (Double.parseDouble(v) < 0) {
                        return "must not be negative: '" + v + "'";
                    }
                }
                case DURATION -> Units.duration(v.isEmpty() ? "0" : v);
                case SIZE -> {
                    if (Units.bytes(v) <= 0) {
                        return "must be more than 0 bytes, got '" + v + "'";
                    }
                }
                case DUCKDB_SIZE -> {
                    if (!v.isEmpty() && !v.matches("(?i)\\d+(\\.\\d+)?\\s*(b|kb|mb|gb|tb|kib|mib|gib|tib|%)?")) {
                        return "not a size: '" + v + "' (examples: 512MB, 1GB, 2GiB)";
                    }
                }
                case URL -> {
                    if (!v.isEmpty()) {
                        java.net.URI u = java.net.URI.create(v);
                        if (u.getScheme() == null || !(u.getScheme().equals("http") || u.getScheme().equals("https"))) {
                            return "not an http(s) URL: '" + v + "'";
                        }
                    }
                }
                default -> {
                }
            }
            return null;
        } catch (IllegalArgumentException e) {
            return kind == Kind.INT || kind == Kind.COUNT || kind == Kind.WINDOW_HOURS || kind == Kind.DECIMAL
                    ? "not a number: '" + v + "'" : e.getMessage();
        }
    }
}
