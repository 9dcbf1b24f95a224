package io.kompactor.camel;

import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.Logger;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shipped routes/*.camel.yaml parse, build together against the real beans and placeholders, and log no warning. */
class RoutesValidationTest {
    @TempDir
    Path tmp;

    @Test
    void everyRouteFileLoadsWithoutWarnings() throws Exception {
        List<Path> files;
        try (Stream<Path> s = Files.list(Path.of("routes"))) {
            files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertFalse(files.isEmpty());
        Path data = Files.createDirectories(tmp.resolve("data"));
        List<String> warnings = new CopyOnWriteArrayList<>();
        AbstractAppender capture = new AbstractAppender("capture", null, null, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                if (event.getLevel().isMoreSpecificThan(Level.WARN)) {
                    warnings.add(event.getLoggerName() + ": " + event.getMessage().getFormattedMessage());
                }
            }
        };
        capture.start();
        Logger root = (Logger) LogManager.getRootLogger();
        Level before = root.getLevel();
        root.addAppender(capture);
        try {
            try (CamelContext ctx = new DefaultCamelContext()) {
                Properties p = new Properties();
                p.putAll(io.kompactor.config.Settings.defaults());
                p.put("kompactor.data-dir", data.toString());
                ctx.getPropertiesComponent().setInitialProperties(p);
                ctx.getPropertiesComponent().setLocation("file:config/application.properties");
                ctx.getPropertiesComponent().setOverrideProperties(props("kompactor.data-dir", data.toString()));
                new KompactorConfiguration().configure(ctx);
                ctx.setAutoStartup(false);
                for (Path f : files) {
                    org.apache.camel.model.Model model = ctx.getCamelContextExtension().getContextPlugin(
                            org.apache.camel.model.Model.class);
                    int before0 = model.getRouteDefinitions().size() + model.getRouteConfigurationDefinitions().size();
                    PluginHelper.getRoutesLoader(ctx).loadRoutes(ResourceHelper.resolveMandatoryResource(ctx,
                            "file:" + f.toAbsolutePath()));
                    int after = model.getRouteDefinitions().size() + model.getRouteConfigurationDefinitions().size();
                    assertTrue(after > before0, f + " defines no route or route configuration");
                }
                ctx.start();
                assertTrue(files.stream().allMatch(f -> f.getFileName().toString().endsWith(".camel.yaml")),
                        "route files are named *.camel.yaml, as Camel tooling expects: " + files);
            }
        } finally {
            root.removeAppender(capture);
            root.setLevel(before);
        }
        assertEquals(List.of(), warnings, "warnings while loading the shipped routes");
    }

    private static Properties props(String k, String v) {
        Properties p = new Properties();
        p.put(k, v);
        return p;
    }
}
