package io.kompactor.config;

import io.kompactor.merge.MergeSettings;
import io.kompactor.plan.PlannerOptions;
import io.kompactor.plan.TablePolicies;
import io.kompactor.plan.TablePolicy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The settings in effect: every {@code kompactor.*} key of the registry ({@link Settings}) with its value from the
 * most specific source given, checked once. An unknown key (a typo) is an error naming the closest known one; a bad
 * value is an error naming the key. Table policies are {@code kompactor.policy.<name>.tables} plus any per-table
 * setting under the same prefix (docs/operations.md, "Table policies").
 */
public final class Configuration {
    private final Map<String, String> values;
    private final Map<String, Map<String, String>> policies;

    private Configuration(Map<String, String> values, Map<String, Map<String, String>> policies) {
        this.values = values;
        this.policies = policies;
    }

    /**
     * From raw properties (later maps win): keys outside {@code kompactor.*} are ignored (Camel's, for instance);
     * unknown {@code kompactor.*} keys and bad values are refused with {@link IllegalArgumentException}.
     */
    @SafeVarargs
    public static Configuration of(Map<String, String>... layers) {
        Map<String, String> values = new LinkedHashMap<>(Settings.defaults());
        Map<String, Map<String, String>> policies = new TreeMap<>();
        for (Map<String, String> layer : layers) {
            for (Map.Entry<String, String> e : layer.entrySet()) {
                String key = e.getKey().trim();
                if (!key.startsWith("kompactor.")) {
                    continue;
                }
                String unknown = Settings.unknown(key);
                if (unknown != null) {
                    throw new IllegalArgumentException(unknown);
                }
                String value = e.getValue() == null ? "" : e.getValue().trim();
                if (key.startsWith(Settings.POLICY_PREFIX)) {
                    String rest = key.substring(Settings.POLICY_PREFIX.length());
                    int dot = rest.indexOf('.');
                    policies.computeIfAbsent(rest.substring(0, dot), k -> new LinkedHashMap<>())
                            .put(rest.substring(dot + 1), value);
                } else {
                    values.put(key, value);
                }
            }
        }
        for (Setting s : Settings.all()) {
            String problem = s.problem(values.get(s.key()));
            if (problem != null) {
                throw new IllegalArgumentException(s.key() + ": " + problem);
            }
        }
        policies.forEach((name, settings) -> settings.forEach((k, v) -> {
            if (!k.equals("tables")) {
                String problem = Settings.get("kompactor." + k).problem(v);
                if (problem != null) {
                    throw new IllegalArgumentException(Settings.POLICY_PREFIX + name + "." + k + ": " + problem);
                }
            }
        }));
        Configuration c = new Configuration(values, policies);
        c.plannerOptions(); // refuses bad combinations (a window that does not divide 24) before anything runs
        return c;
    }

    public String get(String key) {
        String v = values.get(key);
        if (v == null) {
            throw new IllegalArgumentException("no setting " + key);
        }
        return v;
    }

    public int intOf(String key) {
        String v = get(key);
        return v.isEmpty() ? 0 : Integer.parseInt(v);
    }

    public long longOf(String key) {
        String v = get(key);
        return v.isEmpty() ? 0 : Long.parseLong(v);
    }

    public Duration duration(String key) {
        return Units.duration(get(key).isEmpty() ? "0" : get(key));
    }

    public List<String> list(String key) {
        return split(get(key));
    }

    public Path path(String key) {
        String v = get(key);
        return v.isEmpty() ? null : Path.of(v).toAbsolutePath().normalize();
    }

    /** The planner's options: the server's N and every table's policy. */
    public PlannerOptions plannerOptions() {
        TablePolicy defaults = new TablePolicy("default", true, intOf("kompactor.window-hours"),
                intOf("kompactor.min-files"), duration("kompactor.settle"), Units.bytes(get("kompactor.target-file-size")),
                new TablePolicy.LatePolicy(Double.parseDouble(get("kompactor.late.max-share")),
                        intOf("kompactor.late.max-files"), duration("kompactor.late.max-wait")));
        List<TablePolicies.Rule> rules = new ArrayList<>();
        policies.forEach((name, s) -> {
            List<String> tables = split(s.getOrDefault("tables", ""));
            if (tables.isEmpty()) {
                throw new IllegalArgumentException(Settings.POLICY_PREFIX + name + ".tables is not set: which tables "
                        + "does policy '" + name + "' apply to?");
            }
            rules.add(new TablePolicies.Rule(name, tables, new TablePolicies.Override(
                    integer(s.get("window-hours")), integer(s.get("min-files")), dur(s.get("settle")),
                    s.get("target-file-size") == null ? null : Units.bytes(s.get("target-file-size")),
                    s.get("late.max-share") == null ? null : Double.valueOf(s.get("late.max-share")),
                    integer(s.get("late.max-files")), dur(s.get("late.max-wait")))));
        });
        return new PlannerOptions(intOf("kompactor.loaded-snapshots"), new TablePolicies(defaults,
                list("kompactor.tables.include"), list("kompactor.tables.exclude"), rules));
    }

    /** DuckDB's resources, spilling into {@code scratch}. */
    public MergeSettings mergeSettings(Path scratch) {
        MergeSettings m = MergeSettings.defaults(scratch);
        if (!get("kompactor.duckdb.memory-limit").isEmpty()) {
            m = m.withMemoryLimit(get("kompactor.duckdb.memory-limit"));
        }
        if (intOf("kompactor.duckdb.threads") > 0) {
            m = m.withThreads(intOf("kompactor.duckdb.threads"));
        }
        return m;
    }

    /** Every value in effect, for the routes' placeholders: what they read is what was checked. */
    public Map<String, String> values() {
        return java.util.Collections.unmodifiableMap(values);
    }

    private static Integer integer(String v) {
        return v == null ? null : Integer.valueOf(v);
    }

    private static Duration dur(String v) {
        return v == null ? null : Units.duration(v);
    }

    static List<String> split(String s) {
        return Arrays.stream(s.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList();
    }
}
