package io.kompactor.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.kompactor.config.Setting.Kind.COUNT;
import static io.kompactor.config.Setting.Kind.DECIMAL;
import static io.kompactor.config.Setting.Kind.DUCKDB_SIZE;
import static io.kompactor.config.Setting.Kind.DURATION;
import static io.kompactor.config.Setting.Kind.INT;
import static io.kompactor.config.Setting.Kind.LIST;
import static io.kompactor.config.Setting.Kind.PATH;
import static io.kompactor.config.Setting.Kind.SIZE;
import static io.kompactor.config.Setting.Kind.TEXT;
import static io.kompactor.config.Setting.Kind.URL;
import static io.kompactor.config.Setting.Kind.WINDOW_HOURS;

/**
 * Every {@code kompactor.*} setting, defined once: the properties file documents these keys with these defaults, the
 * daemon reads them, the command-line flags of the one-shot commands take their defaults from here, and a test checks
 * that the three agree. Per-table settings may also be set in a table policy ({@code kompactor.policy.<name>.<key
 * without kompactor.>}).
 */
public final class Settings {
    public static final String POLICY_PREFIX = "kompactor.policy.";

    private static final List<Setting> ALL = List.of(
            s("kompactor.data-dir", "", "InfluxDB 3 Core data dir (the server's --data-dir, file object store)", PATH, null),
            s("kompactor.hosts", "", "Node ids to compact, comma-separated; empty: every <data-dir>/<node>/snapshots/", LIST, "--hosts"),
            s("kompactor.state-dir", "", "Journal, backups, retired files, dead letters, scratch; empty: the one named in "
                    + "<data-dir>/.kompactor.json, else <data-dir>/.kompactor", PATH, "--state-dir"),
            t("kompactor.window-hours", "24", "Window size in hours, aligned to UTC midnight; divides 24 or is a multiple of 24", WINDOW_HOURS, "--window"),
            t("kompactor.min-files", "2", "A window is compacted when it has at least this many files", COUNT, "--min-files"),
            t("kompactor.settle", "1h", "... and ended at least this long ago (late data for a compacted window is compacted again later)", DURATION, "--settle"),
            t("kompactor.target-file-size", "1GiB", "A window bigger than this is split into several files", SIZE, "--target-size"),
            s("kompactor.loaded-snapshots", "0", "The server's number of loaded snapshots (0: the default of the data dir's version)", INT, "--loaded-snapshots"),
            s("kompactor.tables.include", "", "Tables to compact: db/table names or ids, * as wildcard, comma-separated; empty: all", LIST, "--include"),
            s("kompactor.tables.exclude", "", "Tables never to compact (names or ids, patterns as for include)", LIST, "--exclude"),
            t("kompactor.late.max-share", "0.2", "A compacted window is merged again once its late data holds this share of its rows ...", DECIMAL, null),
            t("kompactor.late.max-files", "1", "A compacted window holds at most this many late files beside its compacted file; more are gathered into one", COUNT, null),
            t("kompactor.late.max-wait", "12h", "... or its late data waited this long since it arrived or was last gathered (repeated keys: merged at once)", DURATION, null),
            s("kompactor.debounce-ms", "30000", "Quiet period per host: plan once no new metadata arrived for this long (ms) ...", INT, null),
            s("kompactor.debounce-max-snapshots", "100", "... or as soon as this many changes arrived", COUNT, null),
            s("kompactor.debounce-check-interval-ms", "1000", "How often the debounce checks for quiet hosts (keep it below debounce-ms)", COUNT, null),
            s("kompactor.poll-delay-ms", "2000", "How often the change notifications of the watched directories are read (ms)", COUNT, null),
            s("kompactor.rescan-interval-ms", "3600000", "Besides reacting to changes, plan every host this often (ms); also covers file systems without change notifications", COUNT, null),
            s("kompactor.workers", "2", "Hosts planned and merged in parallel (one host's plans always run one after another)", COUNT, null),
            s("kompactor.retries", "3", "Retries of a failed plan (merge + commit) before it goes to the dead-letter store", INT, null),
            s("kompactor.retry-delay-ms", "5000", "Delay before the first retry (ms) ...", INT, null),
            s("kompactor.retry-backoff-multiplier", "2", "... each further retry waits this many times longer", COUNT, null),
            s("kompactor.lock-wait", "10m", "How long the daemon waits for the data dir's lock (held by another writer for one transaction) before it retries later", DURATION, null),
            s("kompactor.duckdb.memory-limit", "", "DuckDB memory limit (DuckDB syntax, e.g. 1GB); empty: 1/8 of RAM, between 256MB and 1GB", DUCKDB_SIZE, "--memory-limit"),
            s("kompactor.duckdb.threads", "0", "DuckDB threads; 0: one per CPU", INT, "--threads"),
            s("kompactor.influxdb.url", "", "The server's HTTP API, e.g. http://127.0.0.1:8181: restart detection (/ping) and what it reads (system.parquet_files)", URL, "--url"),
            s("kompactor.influxdb.token", "", "Token for the server's API", TEXT, "--token"),
            s("kompactor.influxdb.databases", "", "Databases to ask about, comma-separated; empty: all (only then is system.parquet_files evidence for retiring)", LIST, null),
            s("kompactor.influxdb.host", "", "Node id the server at the URL runs as; needed only when several hosts are watched", TEXT, null),
            s("kompactor.influxdb.check-interval-ms", "300000", "How often the retirer asks the server (ms)", COUNT, null),
            s("kompactor.retired-retention", "7d", "Retired files and backups of finished transactions are deleted after this long", DURATION, "--retention"),
            s("kompactor.gc-interval-ms", "3600000", "How often retired files and backups past the retention are purged (ms)", COUNT, null));

    private Settings() {
    }

    private static Setting s(String key, String def, String doc, Setting.Kind kind, String flag) {
        return new Setting(key, def, doc, kind, flag, false);
    }

    private static Setting t(String key, String def, String doc, Setting.Kind kind, String flag) {
        return new Setting(key, def, doc, kind, flag, true);
    }

    public static List<Setting> all() {
        return ALL;
    }

    public static Optional<Setting> find(String key) {
        return ALL.stream().filter(s -> s.key().equals(key)).findFirst();
    }

    public static Setting get(String key) {
        return find(key).orElseThrow(() -> new IllegalArgumentException("no setting " + key));
    }

    /** The setting a command-line flag stands for. */
    public static Optional<Setting> byFlag(String flag) {
        return ALL.stream().filter(s -> flag.equals(s.flag())).findFirst();
    }

    /** Every key with its default, in definition order. */
    public static Map<String, String> defaults() {
        Map<String, String> m = new LinkedHashMap<>();
        ALL.forEach(s -> m.put(s.key(), s.defaultValue()));
        return m;
    }

    /**
     * Null when {@code key} is a known setting (or a table policy's key of a per-table setting); otherwise a message
     * naming the closest known key.
     */
    public static String unknown(String key) {
        if (find(key).isPresent()) {
            return null;
        }
        if (key.startsWith(POLICY_PREFIX)) {
            String rest = key.substring(POLICY_PREFIX.length());
            int dot = rest.indexOf('.');
            String setting = dot < 0 ? "" : rest.substring(dot + 1);
            if (setting.equals("tables") || find("kompactor." + setting).filter(Setting::perTable).isPresent()) {
                return null;
            }
            List<String> perTable = new ArrayList<>(List.of("tables"));
            ALL.stream().filter(Setting::perTable).forEach(s -> perTable.add(s.key().substring("kompactor.".length())));
            return "unknown setting '" + key + "': a table policy takes " + String.join(", ", perTable)
                    + closest(setting, perTable).map(c -> " (did you mean " + POLICY_PREFIX
                    + (dot < 0 ? rest : rest.substring(0, dot)) + "." + c + "?)").orElse("");
        }
        return "unknown setting '" + key + "'" + closest(key, ALL.stream().map(Setting::key).toList())
                .map(c -> "; did you mean " + c + "?").orElse("");
    }

    private static Optional<String> closest(String key, List<String> candidates) {
        return candidates.stream().min(Comparator.comparingInt(c -> EditDistance.of(key, c)))
                .filter(c -> EditDistance.of(key, c) <= Math.max(3, key.length() / 3));
    }
}
