package io.kompactor.camel;

import io.kompactor.engine.Units;
import io.kompactor.snapshot.HostLayout;

import io.kompactor.merge.MergeSettings;
import io.kompactor.plan.PlannerOptions;
import org.apache.camel.spi.PropertiesComponent;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The {@code kompactor.*} settings of the continuous mode, read from Camel's properties (application.properties,
 * then environment variables such as {@code KOMPACTOR_DATA_DIR}, then overrides). {@link #DEFAULTS} are the values
 * used when a key is set nowhere; {@code config/application.properties} documents each of them.
 */
public record KompactorSettings(Path dataDir, List<String> hosts, Path stateDir, PlannerOptions plannerOptions,
                                MergeSettings mergeSettings, long debounceMs, int debounceMaxSnapshots, int workers,
                                int retries, long retryDelayMs, URI influxDbUrl, String influxDbToken,
                                List<String> influxDbDatabases, String influxDbHost, Duration retiredRetention) {

    /** Every key with its default. Camel placeholders in routes/*.yaml resolve against these too. */
    public static final Map<String, String> DEFAULTS;

    static {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("kompactor.data-dir", "");
        d.put("kompactor.hosts", "");
        d.put("kompactor.state-dir", "");
        d.put("kompactor.window-hours", "24");
        d.put("kompactor.min-files", "2");
        d.put("kompactor.settle", "1h");
        d.put("kompactor.target-file-size", "1GiB");
        d.put("kompactor.loaded-snapshots", "0");
        d.put("kompactor.debounce-ms", "30000");
        d.put("kompactor.debounce-max-snapshots", "100");
        d.put("kompactor.debounce-check-interval-ms", "1000");
        d.put("kompactor.poll-delay-ms", "2000");
        d.put("kompactor.read-lock-min-age-ms", "1000");
        d.put("kompactor.rescan-interval-ms", "3600000");
        d.put("kompactor.workers", "2");
        d.put("kompactor.retries", "3");
        d.put("kompactor.retry-delay-ms", "5000");
        d.put("kompactor.retry-backoff-multiplier", "2");
        d.put("kompactor.duckdb.memory-limit", "");
        d.put("kompactor.duckdb.threads", "0");
        d.put("kompactor.influxdb.url", "");
        d.put("kompactor.influxdb.token", "");
        d.put("kompactor.influxdb.databases", "");
        d.put("kompactor.influxdb.host", "");
        d.put("kompactor.influxdb.check-interval-ms", "300000");
        d.put("kompactor.retired-retention", "7d");
        d.put("kompactor.gc-interval-ms", "3600000");
        DEFAULTS = java.util.Collections.unmodifiableMap(d);
    }

    public static Properties defaultProperties() {
        Properties p = new Properties();
        p.putAll(DEFAULTS);
        p.put("camel.main.routes-include-pattern", "file:routes/*.yaml");
        return p;
    }

    public static KompactorSettings from(PropertiesComponent pc) {
        return from(key -> pc.resolveProperty(key).orElse(DEFAULTS.getOrDefault(key, "")));
    }

    public static KompactorSettings from(java.util.function.Function<String, String> props) {
        String dir = props.apply("kompactor.data-dir").trim();
        if (dir.isEmpty()) {
            throw new IllegalArgumentException("kompactor.data-dir is not set (config/application.properties, "
                    + "KOMPACTOR_DATA_DIR, or `kompactor run <data-dir>`)");
        }
        Path dataDir = Path.of(dir).toAbsolutePath().normalize();
        if (!Files.isDirectory(dataDir)) {
            throw new IllegalArgumentException("kompactor.data-dir: " + dataDir + " is not a directory");
        }
        String state = props.apply("kompactor.state-dir").trim();
        // empty: the state dir that owns the data dir (its marker), else <data-dir>/.kompactor
        Path stateDir = state.isEmpty() ? null : Path.of(state).toAbsolutePath().normalize();
        PlannerOptions planner = new PlannerOptions(intOf(props, "kompactor.window-hours"), intOf(props, "kompactor.min-files"),
                duration(props.apply("kompactor.settle")), bytes(props.apply("kompactor.target-file-size")),
                intOf(props, "kompactor.loaded-snapshots"));
        // the tmp dir is the process's scratch dir, known once the state dir is opened (KompactorRuntime)
        MergeSettings merge = MergeSettings.defaults(Path.of(""));
        String mem = props.apply("kompactor.duckdb.memory-limit").trim();
        if (!mem.isEmpty()) {
            merge = merge.withMemoryLimit(mem);
        }
        int threads = intOf(props, "kompactor.duckdb.threads");
        if (threads > 0) {
            merge = merge.withThreads(threads);
        }
        String url = props.apply("kompactor.influxdb.url").trim();
        return new KompactorSettings(dataDir, list(props.apply("kompactor.hosts")), stateDir, planner, merge,
                longOf(props, "kompactor.debounce-ms"), intOf(props, "kompactor.debounce-max-snapshots"),
                Math.max(1, intOf(props, "kompactor.workers")), intOf(props, "kompactor.retries"),
                longOf(props, "kompactor.retry-delay-ms"), url.isEmpty() ? null : URI.create(url),
                props.apply("kompactor.influxdb.token").trim(), list(props.apply("kompactor.influxdb.databases")),
                props.apply("kompactor.influxdb.host").trim(), duration(props.apply("kompactor.retired-retention")));
    }

    /** The hosts to work on: those configured, or every node dir with a snapshots/ folder right now. */
    public List<String> resolveHosts() {
        if (!hosts.isEmpty()) {
            return hosts;
        }
        return HostLayout.discoverHosts(dataDir);
    }

    /** True when snapshots of {@code host} are to be compacted. */
    public boolean watches(String host) {
        return hosts.isEmpty() ? !host.startsWith(".") : hosts.contains(host);
    }

    private static int intOf(java.util.function.Function<String, String> props, String key) {
        return (int) longOf(props, key);
    }

    private static long longOf(java.util.function.Function<String, String> props, String key) {
        String v = props.apply(key).trim();
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + ": not a number: '" + v + "'");
        }
    }

    private static List<String> list(String s) {
        return Arrays.stream(s.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList();
    }

    /** "0", "90s", "30m", "1h", "7d" or ISO-8601 ("PT1H"); a bare number is seconds. */
    public static Duration duration(String s) {
        return Units.duration(s);
    }

    /** "1048576", "512MiB", "1GiB". */
    public static long bytes(String s) {
        return Units.bytes(s);
    }
}
