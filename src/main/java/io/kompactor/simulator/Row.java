package io.kompactor.simulator;

import java.math.BigInteger;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One written point: tags, fields and a time in ns, like a line of line protocol. Field values: Double (or Float)
 * is a float field, Long (or Integer) an integer, BigInteger an unsigned integer (0 to 2^64-1), String a string,
 * Boolean a boolean. A null tag or field value means the point does not have it.
 */
public record Row(Map<String, String> tags, Map<String, Object> fields, long time) {
    private static final BigInteger U64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    public Row {
        tags = copyWithoutNulls(tags);
        Map<String, Object> f = new LinkedHashMap<>();
        fields.forEach((k, v) -> {
            if (v != null) {
                f.put(k, normalise(k, v));
            }
        });
        if (f.isEmpty()) {
            // Line protocol requires at least one field; the server rejects the line.
            throw new IllegalArgumentException("a point needs at least one field");
        }
        if (tags.containsKey("time") || f.containsKey("time")) {
            throw new IllegalArgumentException("\"time\" is the timestamp column, not a tag or field");
        }
        for (String tag : tags.keySet()) {
            if (f.containsKey(tag)) {
                throw new IllegalArgumentException("\"" + tag + "\" is both a tag and a field");
            }
        }
        fields = Collections.unmodifiableMap(f);
    }

    private static Map<String, String> copyWithoutNulls(Map<String, String> m) {
        Map<String, String> out = new LinkedHashMap<>();
        m.forEach((k, v) -> {
            if (v != null) {
                out.put(k, v);
            }
        });
        return Collections.unmodifiableMap(out);
    }

    private static Object normalise(String name, Object v) {
        if (v instanceof Float f) {
            return f.doubleValue();
        }
        if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        if (v instanceof BigInteger b && (b.signum() < 0 || b.compareTo(U64_MAX) > 0)) {
            throw new IllegalArgumentException("field " + name + ": " + b + " is not an unsigned 64-bit integer");
        }
        if (v instanceof Double || v instanceof Long || v instanceof BigInteger || v instanceof String
                || v instanceof Boolean) {
            return v;
        }
        throw new IllegalArgumentException("field " + name + ": unsupported value type " + v.getClass().getName());
    }
}
