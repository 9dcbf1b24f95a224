package io.kompactor.plan;

import io.kompactor.snapshot.TableKey;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.function.Function;

/**
 * Which tables are compacted and how (docs/operations.md, "Table policies"). A table is named by ids
 * ({@code db_id/table_id}, always known) and, where they can be read, names ({@code db/table}); patterns match either
 * form, {@code *} matches any run of characters, and a pattern without {@code /} means a whole database. Include and
 * exclude lists decide whether a table is compacted at all; the best-matching policy (an exact pattern over a
 * wildcard, a table over a whole database, then by policy name) sets the settings it names, the rest stay the
 * defaults.
 */
public final class TablePolicies {
    private final TablePolicy defaults;
    private final List<Pattern> include;
    private final List<Pattern> exclude;
    private final List<Rule> rules;

    /** A named policy: the tables it matches and the settings it overrides. */
    public record Rule(String name, List<String> tables, Override override) {
    }

    /** The settings a policy sets; null leaves the default. */
    public record Override(Integer windowHours, Integer minInputs, java.time.Duration settle, Long targetFileBytes,
                           Double lateMaxShare, Integer lateMaxFiles, java.time.Duration lateMaxWait) {
    }

    public TablePolicies(TablePolicy defaults, List<String> include, List<String> exclude, List<Rule> rules) {
        this.defaults = defaults;
        this.include = include.stream().map(TablePolicies::compile).toList();
        this.exclude = exclude.stream().map(TablePolicies::compile).toList();
        this.rules = rules.stream().sorted(Comparator.comparing(Rule::name)).toList();
        for (Rule r : this.rules) {
            apply(r, defaults); // refuses bad values at once, not at the first plan
        }
    }

    /** Every table with the same settings. */
    public static TablePolicies uniform(TablePolicy defaults) {
        return new TablePolicies(defaults, List.of(), List.of(), List.of());
    }

    public TablePolicy defaults() {
        return defaults;
    }

    /** The policy of one table; {@code names} gives "db/table" names where known. */
    public TablePolicy forTable(TableKey table, Function<TableKey, Optional<String>> names) {
        List<String> forms = new ArrayList<>(List.of(table.toString()));
        names.apply(table).ifPresent(forms::add);
        if (!include.isEmpty() && include.stream().noneMatch(p -> matches(p, forms))) {
            return defaults.excluded("not in kompactor.tables.include");
        }
        if (exclude.stream().anyMatch(p -> matches(p, forms))) {
            return defaults.excluded("in kompactor.tables.exclude");
        }
        Rule best = null;
        int bestScore = -1;
        for (Rule r : rules) {
            for (String t : r.tables()) {
                if (matches(compile(t), forms)) {
                    int score = (t.contains("*") ? 0 : 2) + (t.contains("/") && !t.endsWith("/*") ? 1 : 0);
                    if (score > bestScore) {
                        best = r;
                        bestScore = score;
                    }
                }
            }
        }
        return best == null ? defaults : apply(best, defaults);
    }

    private static TablePolicy apply(Rule r, TablePolicy d) {
        Override o = r.override();
        TablePolicy.LatePolicy late = new TablePolicy.LatePolicy(
                o.lateMaxShare() != null ? o.lateMaxShare() : d.late().maxShare(),
                o.lateMaxFiles() != null ? o.lateMaxFiles() : d.late().maxFiles(),
                o.lateMaxWait() != null ? o.lateMaxWait() : d.late().maxWait());
        return new TablePolicy(r.name(), true,
                o.windowHours() != null ? o.windowHours() : d.windowHours(),
                o.minInputs() != null ? o.minInputs() : d.minInputs(),
                o.settle() != null ? o.settle() : d.settle(),
                o.targetFileBytes() != null ? o.targetFileBytes() : d.targetFileBytes(), late);
    }

    private static boolean matches(Pattern p, List<String> forms) {
        return forms.stream().anyMatch(f -> p.matcher(f).matches());
    }

    /** {@code db} alone is the whole database; {@code *} is any run of characters. */
    static Pattern compile(String pattern) {
        String p = pattern.trim();
        if (!p.contains("/")) {
            p = p + "/*";
        }
        List<String> parts = new ArrayList<>();
        for (String part : p.split("\\*", -1)) {
            parts.add(Pattern.quote(part));
        }
        return Pattern.compile(String.join(".*", parts));
    }
}
