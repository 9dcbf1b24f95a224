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
