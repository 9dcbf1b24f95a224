package io.kompactor.camel;

import io.kompactor.config.Configuration;
import io.kompactor.config.Settings;
import io.kompactor.merge.MergeSettings;
import io.kompactor.plan.PlannerOptions;
import io.kompactor.snapshot.HostLayout;
import org.apache.camel.spi.PropertiesComponent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * The settings of the continuous mode: the registry's ({@link Settings}) {@code kompactor.*} keys as Camel resolves
 * them (command-line options, then environment variables such as {@code KOMPACTOR_DATA_DIR}, then the properties
 * file, then the registry's defaults), checked once by {@link Configuration}. An unknown key in the file or on the
 * command line is an error naming the closest known key; an unknown {@code KOMPACTOR_*} variable is a warning.
 */
public record KompactorSettings(Configuration config, Path dataDir, List<String> hosts, Path stateDir,
                                PlannerOptions plannerOptions, URI influxDbUrl, String influxDbToken,
                                List<String> influxDbDatabases, String influxDbHost, Duration retiredRetention,
                                Duration lockWait) {
    private static final Logger LOG = LoggerFactory.getLogger(KompactorSettings.class);

    /** The registry's defaults as Camel's initial properties: placeholders in routes/*.yaml resolve against them. */
    public static Properties defaultProperties() {
        Properties p = new Properties();
        p.putAll(Settings.defaults());
        p.put("camel.main.routes-include-pattern", "file:routes/*.yaml");
        return p;
    }

    /** From Camel's properties: every source's keys are checked, each registry key resolved as Camel would. */
    public static KompactorSettings from(PropertiesComponent pc) {
        Map<String, String> given = new LinkedHashMap<>();
        Properties all = pc.loadProperties(k -> k.startsWith("kompactor."));
        all.stringPropertyNames().forEach(k -> given.put(k, all.getProperty(k)));
        if (pc instanceof org.apache.camel.component.properties.PropertiesComponent impl
                && impl.getOverrideProperties() != null) {
            Properties o = impl.getOverrideProperties();
            o.stringPropertyNames().stream().filter(k -> k.startsWith("kompactor.")).forEach(k -> given.put(k, o.getProperty(k)));
        }
        for (var s : Settings.all()) {
            pc.resolveProperty(s.key()).ifPresent(v -> given.put(s.key(), v));
        }
        warnUnknownEnvironment(System.getenv());
        return from(Configuration.of(given));
    }

    /** From plain key/value settings (tests, embedders). */
    public static KompactorSettings from(Map<String, String> properties) {
        return from(Configuration.of(properties));
    }

    public static KompactorSettings from(Configuration c) {
        Path dataDir = c.path("kompactor.data-dir");
        if (dataDir == null) {
            throw new IllegalArgumentException("kompactor.data-dir is not set (config/application.properties, "
                    + "KOMPACTOR_DATA_DIR, or `kompactor run <data-dir>`)");
        }
        if (!Files.isDirectory(dataDir)) {
            throw new IllegalArgumentException("kompactor.data-dir: " + dataDir + " is not a directory");
        }
        for (String key : List.of("kompactor.workers", "kompactor.debounce-max-snapshots", "kompactor.poll-delay-ms",
                "kompactor.debounce-check-interval-ms", "kompactor.rescan-interval-ms", "kompactor.gc-interval-ms",
                "kompactor.influxdb.check-interval-ms", "kompactor.retry-backoff-multiplier")) {
            if (c.longOf(key) < 1) {
                throw new IllegalArgumentException(key + ": must be at least 1, got " + c.get(key));
            }
        }
        String url = c.get("kompactor.influxdb.url");
        return new KompactorSettings(c, dataDir, c.list("kompactor.hosts"), c.path("kompactor.state-dir"),
                c.plannerOptions(), url.isEmpty() ? null : URI.create(url), c.get("kompactor.influxdb.token"),
                c.list("kompactor.influxdb.databases"), c.get("kompactor.influxdb.host"),
                c.duration("kompactor.retired-retention"), c.duration("kompactor.lock-wait"));
    }

    /** DuckDB's resources, spilling into the process's scratch dir. */
    public MergeSettings mergeSettings(Path scratch) {
        return config.mergeSettings(scratch);
    }

    /** The hosts to work on: those configured, or every node dir with a snapshots/ folder right now. */
    public List<String> resolveHosts() {
        if (!hosts.isEmpty()) {
            return hosts;
        }
        return HostLayout.discoverHosts(dataDir);
    }

    /** True when metadata of {@code host} is watched and compacted. */
    public boolean watches(String host) {
        return hosts.isEmpty() ? !host.startsWith(".") : hosts.contains(host);
    }

    /** Camel maps {@code KOMPACTOR_DEBOUNCE_MS} to {@code kompactor.debounce-ms}: a variable matching no key is a typo. */
    static List<String> warnUnknownEnvironment(Map<String, String> env) {
        List<String> known = Settings.all().stream().map(s -> envName(s.key())).toList();
        List<String> unknown = env.keySet().stream().filter(k -> k.startsWith("KOMPACTOR_"))
                .filter(k -> !known.contains(k) && !k.startsWith("KOMPACTOR_POLICY_")).sorted().toList();
        unknown.forEach(k -> LOG.warn("environment variable {} sets no Kompactor setting (known: {}); ignored", k,
                String.join(", ", known)));
        return unknown;
    }

    static String envName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }
}
