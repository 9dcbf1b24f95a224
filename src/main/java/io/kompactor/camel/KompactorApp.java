package io.kompactor.camel;

import org.apache.camel.main.Main;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds the camel-main application of {@code kompactor run}: properties from {@code config/application.properties}
 * (or {@code --config}), routes from {@code routes/*.yaml} (or {@code --routes}), the beans of
 * {@link KompactorConfiguration}. Precedence, highest first: {@link #override} (command-line options), environment
 * variables ({@code KOMPACTOR_DEBOUNCE_MS} overrides {@code kompactor.debounce-ms}), the properties file, then
 * the registry's defaults ({@link io.kompactor.config.Settings}).
 */
public final class KompactorApp {
    private Path config = Path.of("config", "application.properties");
    private boolean configRequired;
    private String routes;
    private final Map<String, String> overrides = new LinkedHashMap<>();

    /** A properties file; an explicit one must exist, the default {@code config/application.properties} may not. */
    public KompactorApp config(Path file) {
        if (file != null) {
            this.config = file;
            this.configRequired = true;
        }
        return this;
    }

    /** A directory of route files, a file, or a Camel pattern such as {@code file:/etc/kompactor/routes/*.yaml}. */
    public KompactorApp routes(String location) {
        this.routes = location;
        return this;
    }

    public KompactorApp override(String key, String value) {
        if (value != null) {
            overrides.put(key, value);
        }
        return this;
    }

    public static String routesPattern(String location) {
        if (location.contains(":")) {
            return location;
        }
        Path p = Path.of(location).toAbsolutePath().normalize();
        return Files.isDirectory(p) ? "file:" + p + "/*.yaml" : "file:" + p;
    }

    /**
     * Everything {@code run} needs, checked before Camel starts (an error here is a usage error, exit 2, with nothing
     * started or written): the properties file, the route files, every {@code kompactor.*} setting as it will be
     * resolved (command line, environment, file, defaults), and the management port.
     */
    public KompactorSettings preflight(Map<String, String> environment) {
        if (configRequired && !Files.isRegularFile(config)) {
            throw new IllegalArgumentException("--config: " + config.toAbsolutePath() + " does not exist");
        }
        if (routes != null && !routes.contains(":")) {
            Path r = Path.of(routes).toAbsolutePath().normalize();
            if (!Files.exists(r)) {
                throw new IllegalArgumentException("--routes: " + r + " does not exist");
            }
            if (Files.isDirectory(r)) {
                try (var s = Files.list(r)) {
                    if (s.noneMatch(p -> p.getFileName().toString().endsWith(".yaml"))) {
                        throw new IllegalArgumentException("--routes: " + r + " holds no *.yaml route files; nothing would run");
                    }
                } catch (java.io.IOException e) {
                    throw new IllegalArgumentException("--routes: " + io.kompactor.fs.FileOps.describe(e));
                }
            }
        }
        Map<String, String> file = new LinkedHashMap<>();
        java.util.Properties p = new java.util.Properties();
        boolean localConfig = configRequired || Files.isRegularFile(config);
        try (java.io.InputStream in = localConfig ? Files.newInputStream(config)
                : KompactorApp.class.getResourceAsStream("/kompactor/config/application.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("--config: " + io.kompactor.fs.FileOps.describe(e));
        }
        p.stringPropertyNames().forEach(k -> file.put(k, p.getProperty(k)));
        Map<String, String> env = new LinkedHashMap<>();
        for (io.kompactor.config.Setting s : io.kompactor.config.Settings.all()) {
            String v = environment.get(KompactorSettings.envName(s.key()));
            if (v != null) {
                env.put(s.key(), v);
            }
        }
        KompactorSettings settings = KompactorSettings.from(io.kompactor.config.Configuration.of(file, env, overrides));
        String enabled = resolve("camel.management.enabled", "false", file, environment);
        if (Boolean.parseBoolean(enabled.trim())) {
            String port = resolve("camel.management.port", "8080", file, environment).trim();
            String host = resolve("camel.management.host", "0.0.0.0", file, environment).trim();
            try (java.net.ServerSocket socket = new java.net.ServerSocket()) {
                socket.setReuseAddress(true);
                socket.bind(new java.net.InetSocketAddress(host, Integer.parseInt(port)));
            } catch (java.io.IOException | NumberFormatException e) {
                throw new IllegalArgumentException("camel.management.port: cannot listen on " + host + ":" + port + " ("
                        + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + "); another process "
                        + "uses it? Set another port (-D camel.management.port=...) or camel.management.enabled=false");
            }
        }
        return settings;
    }

    /** A Camel property as camel-main resolves it: command line, then environment, then the file. */
    private String resolve(String key, String def, Map<String, String> file, Map<String, String> environment) {
        if (overrides.containsKey(key)) {
            return overrides.get(key);
        }
        String env = environment.get(key.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_'));
        return env != null ? env : file.getOrDefault(key, def);
    }

    public Main build() {
        if (configRequired && !Files.isRegularFile(config)) {
            throw new IllegalArgumentException("--config: " + config.toAbsolutePath() + " does not exist");
        }
        Main main = new Main();
        main.configure().addConfiguration(new KompactorConfiguration());
        main.setInitialProperties(KompactorSettings.defaultProperties());
        // Run from anywhere: without a config/ or routes/ of the working directory, the copies shipped in the jar.
        boolean localConfig = configRequired || Files.isRegularFile(config);
        main.setDefaultPropertyPlaceholderLocation(localConfig ? "file:" + config.toAbsolutePath()
                : "classpath:kompactor/config/application.properties");
        if (routes != null) {
            main.addOverrideProperty("camel.main.routes-include-pattern", routesPattern(routes));
        } else if (!Files.isDirectory(Path.of("routes"))) {
            main.addOverrideProperty("camel.main.routes-include-pattern", "classpath:kompactor/routes/*.yaml");
        }
        overrides.forEach(main::addOverrideProperty);
        return main;
    }
}
